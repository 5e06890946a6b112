/// The ids of simulated servers: `sim-` and a launch number padded to 7 digits, so sorting ids sorts by
/// launch order for the first ten million launches (the allocator and planner break ties by id).
enum ServerID {
    static let prefix = "sim-"

    static func make(_ serial: Int) -> String {
        let digits = String(serial)
        return prefix + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
    }

    static func serial(of id: String) -> Int? {
        // Read from the UTF-8 bytes: called once per player, and Character-wise slicing is slow.
        var bytes = id.utf8.makeIterator()
        for expected in prefix.utf8 {
            guard bytes.next() == expected else { return nil }
        }
        var value = 0
        var digits = 0
        while let byte = bytes.next() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 18 else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}
