/// Idempotency tokens for RunTask and RunInstances: 32 hex digits derived from the parts given,
/// so the same launch asked again carries the same token and AWS starts it once.
///
/// The digest is two FNV-1a 64-bit hashes with different offsets: a fingerprint, not a secret.
/// Collisions between different launches would need 2^64-scale luck.
public enum ClientToken {
    /// `gf-` and 32 hex digits (35 characters; RunTask allows 64, RunInstances 64).
    public static func derive(_ parts: [String]) -> String {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x8422_2325_cbf2_9ce4
        for part in parts {
            // The length goes first so that ["ab", "c"] and ["a", "bc"] differ.
            for byte in Array("\(part.utf8.count):".utf8) + Array(part.utf8) {
                first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                second = (second ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                second = (second << 7) | (second >> 57)
            }
        }
        return "gf-" + hex(first) + hex(second)
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
