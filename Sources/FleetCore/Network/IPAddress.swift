import Foundation

/// An IPv4 or IPv6 address as 16 bytes (IPv4 as its IPv4-mapped IPv6 form, `::ffff:a.b.c.d`), so
/// one comparison serves both families.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address in network order; IPv4 is mapped into `::ffff:0:0/96`.
    public let bytes: [UInt8]
    /// True when it was written as IPv4 (or is IPv4-mapped).
    public var isIPv4: Bool { bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff }

    init(bytes: [UInt8]) {
        precondition(bytes.count == 16)
        self.bytes = bytes
    }

    /// Parses `a.b.c.d`, or an IPv6 address with optional `::` compression and an optional
    /// trailing dotted IPv4 part; `[…]` brackets and a `%zone` are accepted and dropped.
    /// Returns nil for anything else (names, ports, out-of-range parts).
    public init?(parsing text: some StringProtocol) {
        var s = Substring(text)
        if s.hasPrefix("[") && s.hasSuffix("]") { s = s.dropFirst().dropLast() }
        if let percent = s.firstIndex(of: "%") { s = s[..<percent] }
        guard !s.isEmpty, s.count <= 45 else { return nil }
        if !s.contains(":") {
            guard let v4 = Self.parseIPv4(s) else { return nil }
            self.init(bytes: Array(repeating: 0, count: 10) + [0xff, 0xff] + v4)
            return
        }
        guard let v6 = Self.parseIPv6(s) else { return nil }
        self.init(bytes: v6)
    }

    static func parseIPv4(_ s: Substring) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(part), value <= 255 else { return nil }
            out.append(UInt8(value))
        }
        return out
    }

    static func parseIPv6(_ s: Substring) -> [UInt8]? {
        let halves = s.components(separatedByDoubleColon: ())
        guard halves.count <= 2 else { return nil }
        func groups(_ part: Substring, allowV4Tail: Bool) -> [UInt8]? {
            if part.isEmpty { return [] }
            var out: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (n, piece) in pieces.enumerated() {
                if allowV4Tail && n == pieces.count - 1 && piece.contains(".") {
                    guard let v4 = parseIPv4(piece) else { return nil }
                    out += v4
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                out += [UInt8(value >> 8), UInt8(value & 0xff)]
            }
            return out
        }
        if halves.count == 1 {
            guard let all = groups(halves[0], allowV4Tail: true), all.count == 16 else { return nil }
            return all
        }
        guard let head = groups(halves[0], allowV4Tail: false), let tail = groups(halves[1], allowV4Tail: true),
              head.count + tail.count <= 14 else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    public var description: String {
        if isIPv4 { return bytes[12...].map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}

extension Substring {
    /// Splits at `::` (at most the pieces around each occurrence).
    func components(separatedByDoubleColon _: Void) -> [Substring] {
        var out: [Substring] = []
        var rest = self
        while let range = rest.range(of: "::") {
            out.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        out.append(rest)
        return out
    }
}

/// An address block such as `10.0.0.0/8` or `fd00::/8`; a bare address is a block of one.
public struct CIDRBlock: Sendable, Hashable, CustomStringConvertible {
    public let network: IPAddress
    /// Prefix length over the 128-bit form (an IPv4 `/n` is stored as `/(96 + n)`).
    public let prefix: Int
    let text: String

    /// Parses `ADDRESS/LENGTH` or `ADDRESS`. Nil when the address or the length is not valid for
    /// its family (0–32 for IPv4, 0–128 for IPv6).
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(parsing: parts[0]) else { return nil }
        let maxLength = address.isIPv4 && !parts[0].contains(":") ? 32 : 128
        var length = maxLength
        if parts.count == 2 {
            guard (1...3).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let n = Int(parts[1]), n <= maxLength else { return nil }
            length = n
        }
        prefix = maxLength == 32 ? 96 + length : length
        self.text = text
        // Keep the network part only, so 10.1.2.3/8 and 10.0.0.0/8 are the same block.
        var bytes = address.bytes
        for bit in prefix..<128 { bytes[bit / 8] &= ~(UInt8(0x80) >> UInt8(bit % 8)) }
        network = IPAddress(bytes: bytes)
    }

    /// True when `address` lies in the block.
    public func contains(_ address: IPAddress) -> Bool {
        var remaining = prefix
        for i in 0..<16 where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            if address.bytes[i] & mask != network.bytes[i] { return false }
            remaining -= bits
        }
        return true
    }

    public var description: String { text }
}
