import Foundation

/// The order of server ids that every tie-break uses: String's `<`, computed fast.
///
/// Comparing ids one pair at a time is the hidden cost of sorting a large fleet: ids of one fleet
/// share long prefixes (`arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/…`) and String comparison is
/// Unicode-aware. For ASCII ids (ARNs, `local-PORT-PID`) String's order is byte order, so the ids are
/// copied once into one buffer, their common prefix is skipped, the next 8 bytes compare as one
/// integer, and only equal integers compare on with memcmp. Any non-ASCII id falls back to String's
/// own comparison for the whole sort, so the answer is always String's order.
public enum IDOrder {
    /// The positions of `ids` in ascending id order (ties keep no particular order).
    public static func sortedPositions(_ ids: [String]) -> [Int] {
        var bytes: [UInt8] = []
        var spans: [(start: Int, count: Int)] = []
        spans.reserveCapacity(ids.count)
        var ascii = true
        bytes.reserveCapacity(ids.count * 64)
        for id in ids {
            let start = bytes.count
            bytes.append(contentsOf: id.utf8)
            spans.append((start, bytes.count - start))
        }
        // One pass over the buffer rather than a test per byte as it is copied.
        ascii = bytes.withUnsafeBufferPointer { buffer in
            var high: UInt8 = 0
            for byte in buffer { high |= byte }
            return high < 0x80
        }
        guard ascii else {
            return ids.indices.sorted { ids[$0] < ids[$1] }
        }
        var common = spans.first?.count ?? 0
        if let first = spans.first {
            for span in spans.dropFirst() where common > 0 {
                var n = 0
                let limit = min(common, span.count)
                while n < limit && bytes[first.start + n] == bytes[span.start + n] { n += 1 }
                common = n
            }
        }
        // Past the end of a shorter id the key holds zeros, which sort before any byte but NUL; keys
        // that come out equal are settled by memcmp and length, so the order is exact either way.
        var keyed: [(key: UInt64, position: Int)] = spans.enumerated().map { n, span in
            var key: UInt64 = 0
            for k in 0..<8 {
                let i = common + k
                key = key << 8 | UInt64(i < span.count ? bytes[span.start + i] : 0)
            }
            return (key, n)
        }
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            keyed.sort { a, b in
                if a.key != b.key { return a.key < b.key }
                let x = spans[a.position], y = spans[b.position]
                let shared = min(x.count, y.count)
                let c = shared == 0 ? 0 : memcmp(base + x.start, base + y.start, shared)
                return c != 0 ? c < 0 : x.count < y.count
            }
        }
        return keyed.map(\.position)
    }

    /// Each id's rank in ascending id order (equal ids get distinct, adjacent ranks).
    public static func ranks(_ ids: [String]) -> [Int32] {
        var ranks = Array(repeating: Int32(0), count: ids.count)
        for (rank, position) in sortedPositions(ids).enumerated() { ranks[position] = Int32(rank) }
        return ranks
    }
}
