/// Hexadecimal helpers: lower case for digests and signatures (as AWS prints them),
/// upper case for percent-escapes (as SigV4 requires).
enum Hex {
    /// `0-9A-F` as ASCII bytes, indexed by nibble.
    static let upperDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
    /// `0-9a-f` as ASCII bytes, indexed by nibble.
    static let lowerDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `bytes` as lower-case hex, two digits per byte.
    static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        for byte in bytes {
            text.append(lowerDigits[Int(byte >> 4)])
            text.append(lowerDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The value of one hex digit (either case), or `nil` if `byte` is not one.
    static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
