import Testing
@testable import sample_gameserver

/// SHA-1, base64 and the replies built from them, against published values.
@Suite("handshake and health replies")
struct HandshakeTests {
    @Test("SHA-1 matches the FIPS 180 examples", arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        (String(repeating: "a", count: 1_000_000), "34aa973cd4c4daa4f61eeb2bdbad27316534016f"),
    ])
    func sha1(message: String, expectedHex: String) {
        let hex = SHA1.digest(Array(message.utf8)).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
        #expect(hex == expectedHex)
    }

    @Test("base64 matches the RFC 4648 examples", arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func base64(input: String, expected: String) {
        #expect(Base64.encode(Array(input.utf8)) == expected)
    }

    @Test("the accept value matches the RFC 6455 example")
    func webSocketAccept() {
        #expect(Reply.webSocketAccept(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test("the health body clamps free capacity at zero and is ready to close only when empty", arguments: [
        (5, 0, #"{"available_capacity": 5, "ready_to_close": true}"#),
        (5, 3, #"{"available_capacity": 2, "ready_to_close": false}"#),
        (2, 3, #"{"available_capacity": 0, "ready_to_close": false}"#),
        (0, 0, #"{"available_capacity": 0, "ready_to_close": true}"#),
    ])
    func healthBody(capacity: Int, players: Int, expected: String) {
        #expect(Reply.healthBody(capacity: capacity, players: players) == expected)
    }
}
