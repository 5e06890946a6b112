/// Percent-encoding as SigV4 defines it: RFC 3986 with only the unreserved characters
/// `A-Z a-z 0-9 - _ . ~` left as they are, every other byte of the UTF-8 form written as `%XX`
/// with upper-case hex. This is stricter than `URLComponents`, which leaves `/`, `+`, `=` and
/// others alone and so would sign a different string than AWS checks.
public enum URIEncoding {
    /// Whether `byte` is an RFC 3986 unreserved character.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// `bytes` percent-encoded; empty input gives an empty string.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var encoded: [UInt8] = []
        for byte in bytes {
            if isUnreserved(byte) {
                encoded.append(byte)
            } else {
                encoded.append(UInt8(ascii: "%"))
                encoded.append(Hex.upperDigits[Int(byte >> 4)])
                encoded.append(Hex.upperDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// `text` with each `%XX` escape turned back into its byte. A `%` not followed by two hex
    /// digits is kept literally, because a lenient reading signs what the caller sent instead of
    /// failing on it. Works on bytes so that escapes of invalid UTF-8 survive a round trip.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(text)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = Hex.value(of: bytes[index + 1]), let low = Hex.value(of: bytes[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return decoded
    }
}
