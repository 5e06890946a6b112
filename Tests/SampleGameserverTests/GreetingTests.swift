import Testing
@testable import sample_gameserver

/// How a connection's first bytes are classified, without sockets.
@Suite("classifying a connection's first bytes")
struct GreetingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: String
        var expected: Greeting
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "nothing yet", bytes: "", expected: .incomplete(mayBeHealthProbe: true)),
        Case(name: "start of GET", bytes: "GE", expected: .incomplete(mayBeHealthProbe: true)),
        Case(name: "start of the health path", bytes: "GET /hea", expected: .incomplete(mayBeHealthProbe: true)),
        Case(name: "health path with slash", bytes: "GET /health/", expected: .incomplete(mayBeHealthProbe: true)),
        Case(name: "inside the query", bytes: "GET /health?a=b&c", expected: .incomplete(mayBeHealthProbe: true)),
        Case(name: "version half sent", bytes: "GET /health/ HTTP/1", expected: .incomplete(mayBeHealthProbe: true)),
        Case(name: "CR without LF", bytes: "GET /health HTTP/1.1\r", expected: .incomplete(mayBeHealthProbe: true)),
        Case(name: "request line done, headers coming", bytes: "GET /health/ HTTP/1.1\r\nHost: a\r\n",
             expected: .incomplete(mayBeHealthProbe: true)),
        Case(name: "health probe", bytes: "GET /health/ HTTP/1.1\r\nHost: a\r\n\r\n", expected: .healthProbe),
        Case(name: "health without slash, HTTP/1.0, no headers", bytes: "GET /health HTTP/1.0\r\n\r\n", expected: .healthProbe),
        Case(name: "health with query", bytes: "GET /health/?x=1 HTTP/1.1\r\n\r\n", expected: .healthProbe),
        Case(name: "other path being sent", bytes: "GET /play", expected: .incomplete(mayBeHealthProbe: false)),
        Case(name: "longer health-like path", bytes: "GET /healthz", expected: .incomplete(mayBeHealthProbe: false)),
        Case(name: "other GET, complete", bytes: "GET / HTTP/1.1\r\nHost: a\r\n\r\n", expected: .player),
        Case(name: "health over HTTP/2 preface", bytes: "GET /health HTTP/2.0\r\n\r\n", expected: .player),
        Case(name: "POST to health", bytes: "POST /health/ HTTP/1.1\r\n\r\n", expected: .player),
        Case(name: "lowercase method", bytes: "get /health/ HTTP/1.1\r\n\r\n", expected: .player),
        Case(name: "binary bytes", bytes: "\u{1}\u{2}\u{3}", expected: .player),
        Case(name: "text that is not HTTP", bytes: "HELLO server\n", expected: .player),
        Case(
            name: "WebSocket upgrade",
            bytes: "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: abc==\r\n\r\n",
            expected: .webSocketUpgrade(key: "abc==")
        ),
        Case(
            name: "WebSocket upgrade with odd case and spacing",
            bytes: "GET /ws HTTP/1.1\r\nUPGRADE:  h2c, WebSocket \r\nsec-websocket-key:\tk1\r\n\r\n",
            expected: .webSocketUpgrade(key: "k1")
        ),
        Case(name: "upgrade without a key", bytes: "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", expected: .player),
        Case(name: "key without an upgrade", bytes: "GET /ws HTTP/1.1\r\nSec-WebSocket-Key: k\r\n\r\n", expected: .player),
    ]

    @Test("classifies", arguments: cases)
    func classifies(_ testCase: Case) {
        #expect(Greeting.classify(Array(testCase.bytes.utf8)) == testCase.expected)
    }

    @Test("a health request head past the limit is refused, any other is a player")
    func oversizedHeads() {
        let padding = String(repeating: "a", count: Greeting.headLimit)
        #expect(Greeting.classify(Array("GET /health/ HTTP/1.1\r\nX: \(padding)".utf8)) == .oversizedProbe)
        #expect(Greeting.classify(Array("GET /ws HTTP/1.1\r\nX: \(padding)".utf8)) == .player)
        // A head that ends past the limit does not count as ended.
        #expect(Greeting.classify(Array("GET /health/ HTTP/1.1\r\nX: \(padding)\r\n\r\n".utf8)) == .oversizedProbe)
    }
}
