/// SHA-1 (FIPS 180-4), here only to compute the WebSocket handshake's `Sec-WebSocket-Accept`.
///
/// RFC 6455 fixes SHA-1 for the handshake, where it proves the server read the key rather than
/// protecting anything, so its known weaknesses do not matter here. It is written out in full
/// because the executable takes no dependencies. Do not use it for anything that needs security.
enum SHA1 {
    /// Returns the 20-byte digest of `message`. An empty message has a digest like any other.
    static func digest(_ message: [UInt8]) -> [UInt8] {
        var state: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]

        // Padding: a single 1 bit, zeros up to 56 bytes mod 64, then the length in bits big-endian,
        // so that the padded message is a whole number of 64-byte blocks.
        var padded = message
        padded.append(0x80)
        while padded.count % 64 != 56 {
            padded.append(0)
        }
        let bitLength = UInt64(message.count) &* 8
        for shift in stride(from: 56, through: 0, by: -8) {
            padded.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }

        var schedule = [UInt32](repeating: 0, count: 80)
        for blockStart in stride(from: 0, to: padded.count, by: 64) {
            for t in 0..<16 {
                let i = blockStart + t * 4
                schedule[t] = UInt32(padded[i]) << 24 | UInt32(padded[i + 1]) << 16
                    | UInt32(padded[i + 2]) << 8 | UInt32(padded[i + 3])
            }
            for t in 16..<80 {
                schedule[t] = rotateLeft(schedule[t - 3] ^ schedule[t - 8] ^ schedule[t - 14] ^ schedule[t - 16], by: 1)
            }

            var a = state[0], b = state[1], c = state[2], d = state[3], e = state[4]
            for t in 0..<80 {
                let mixed: UInt32
                let constant: UInt32
                switch t {
                case 0..<20:
                    mixed = (b & c) | (~b & d)
                    constant = 0x5A82_7999
                case 20..<40:
                    mixed = b ^ c ^ d
                    constant = 0x6ED9_EBA1
                case 40..<60:
                    mixed = (b & c) | (b & d) | (c & d)
                    constant = 0x8F1B_BCDC
                default:
                    mixed = b ^ c ^ d
                    constant = 0xCA62_C1D6
                }
                let next = rotateLeft(a, by: 5) &+ mixed &+ e &+ constant &+ schedule[t]
                e = d
                d = c
                c = rotateLeft(b, by: 30)
                b = a
                a = next
            }
            state[0] &+= a
            state[1] &+= b
            state[2] &+= c
            state[3] &+= d
            state[4] &+= e
        }

        var digest: [UInt8] = []
        digest.reserveCapacity(20)
        for word in state {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    private static func rotateLeft(_ value: UInt32, by count: UInt32) -> UInt32 {
        (value << count) | (value >> (32 - count))
    }
}
