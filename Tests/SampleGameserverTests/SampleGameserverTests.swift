import Foundation
import Glibc
import TestSupport
import Testing

/// The gameserver contract, checked against the real binary over real TCP on 127.0.0.1.
/// Each test starts its own server on its own port and stops it in a `defer`.
@Suite("sample-gameserver process")
struct SampleGameserverTests {
    /// The example handshake from RFC 6455 section 1.3.
    static let exampleKey = "dGhlIHNhbXBsZSBub25jZQ=="
    static let exampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

    @Test("an empty server has all its capacity free and is ready to close")
    func emptyServerAnswersHealth() async throws {
        let server = try await GameserverProcess.start(capacity: 5)
        defer { server.stop() }

        let client = try TCPClient(port: server.port)
        defer { client.close() }
        try client.send("GET /health/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let (head, body) = try HealthReport.split(client.readToEnd())

        #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(head.contains("\r\nContent-Type: application/json"))
        #expect(head.contains("\r\nContent-Length: \(body.utf8.count)"))
        #expect(head.contains("\r\nConnection: close"))
        #expect(body == #"{"available_capacity": 5, "ready_to_close": true}"#)
    }

    @Test("health is served with or without the trailing slash and with a query", arguments: [
        "/health/", "/health", "/health/?fleet=eu-1", "/health?probe=1",
    ])
    func healthPathVariants(path: String) async throws {
        let server = try await GameserverProcess.start(capacity: 3)
        defer { server.stop() }

        #expect(try HealthReport.fetch(port: server.port, path: path) == HealthReport(availableCapacity: 3, readyToClose: true))
    }

    @Test("plain TCP connections are players until they close")
    func plainConnectionsArePlayers() async throws {
        let server = try await GameserverProcess.start(capacity: 5)
        defer { server.stop() }
        let empty = HealthReport(availableCapacity: 5, readyToClose: true)
        #expect(try HealthReport.fetch(port: server.port) == empty)

        // One sends nothing, one sends bytes that are not HTTP, one sends an HTTP request that is
        // not a health probe: all three are players.
        let players = try (0..<3).map { _ in try TCPClient(port: server.port) }
        defer { players.forEach { $0.close() } }
        try players[1].send("\u{1}\u{2}hello")
        try players[2].send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try await HealthReport.eventually(port: server.port, equals: HealthReport(availableCapacity: 2, readyToClose: false))
            == HealthReport(availableCapacity: 2, readyToClose: false))

        players.forEach { $0.close() }
        #expect(try await HealthReport.eventually(port: server.port, equals: empty) == empty)
    }

    @Test("players above capacity still count and free capacity stops at zero")
    func playersAboveCapacity() async throws {
        let server = try await GameserverProcess.start(capacity: 1)
        defer { server.stop() }

        let players = try (0..<3).map { _ in try TCPClient(port: server.port) }
        defer { players.forEach { $0.close() } }
        let full = HealthReport(availableCapacity: 0, readyToClose: false)
        #expect(try await HealthReport.eventually(port: server.port, equals: full) == full)

        // Two of three gone still leaves one player: not ready to close.
        players[0].close()
        players[1].close()
        try await Task.sleep(for: .milliseconds(200))
        #expect(try HealthReport.fetch(port: server.port) == full)
    }

    @Test("a WebSocket upgrade gets a correct 101 and counts as a player")
    func webSocketHandshake() async throws {
        let server = try await GameserverProcess.start(capacity: 4)
        defer { server.stop() }

        let player = try TCPClient(port: server.port)
        defer { player.close() }
        try player.send(
            "GET /play HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: \(Self.exampleKey)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        let head = try player.readHead()
        #expect(head.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"))
        #expect(head.contains("\r\nSec-WebSocket-Accept: \(Self.exampleAccept)\r\n"))
        #expect(head.lowercased().contains("\r\nupgrade: websocket\r\n"))
        #expect(head.lowercased().contains("\r\nconnection: upgrade\r\n"))

        // A masked text frame ("hi"): the server reads and drops it, and the player stays counted.
        try player.send("\u{81}\u{82}\0\0\0\0hi")
        let playing = HealthReport(availableCapacity: 3, readyToClose: false)
        #expect(try await HealthReport.eventually(port: server.port, equals: playing) == playing)

        player.close()
        let empty = HealthReport(availableCapacity: 4, readyToClose: true)
        #expect(try await HealthReport.eventually(port: server.port, equals: empty) == empty)
    }

    static let fullRequest = "GET /health/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: split-test\r\n\r\n"

    @Test("a health request split across two writes is still answered", arguments: [
        4,  // inside the request line, before the path
        9,  // inside "/health"
        24,  // right after the request line's CRLF
        fullRequest.utf8.count - 2,  // only the final CRLF is left
    ])
    func splitHealthRequest(splitAt offset: Int) async throws {
        let server = try await GameserverProcess.start(capacity: 2)
        defer { server.stop() }

        let probe = try TCPClient(port: server.port)
        defer { probe.close() }
        let bytes = Array(Self.fullRequest.utf8)
        // Both writes from a thread of their own: the server gives a half-sent probe 5 s, and a
        // task's sleep on a loaded cooperative pool can end later than that; a thread's does not.
        let first = String(decoding: bytes[..<offset], as: UTF8.self), rest = String(decoding: bytes[offset...], as: UTF8.self)
        try await offThePool {
            try probe.send(first)
            usleep(150_000)
            try probe.send(rest)
        }

        // The probe itself is not a player in its own answer.
        #expect(try HealthReport.parse(probe.readToEnd()) == HealthReport(availableCapacity: 2, readyToClose: true))
    }

    @Test("a stop signal makes it exit with status 0", arguments: [SIGTERM, SIGINT])
    func stopSignalExitsCleanly(signal: Int32) async throws {
        let server = try await GameserverProcess.start(capacity: 2)
        defer { server.stop() }
        let player = try TCPClient(port: server.port)
        defer { player.close() }
        let playing = HealthReport(availableCapacity: 1, readyToClose: false)
        #expect(try await HealthReport.eventually(port: server.port, equals: playing) == playing)

        server.send(signal: signal)
        #expect(await server.exitStatus(within: .seconds(60)) == 0)
        let name = signal == SIGTERM ? "SIGTERM" : "SIGINT"
        #expect(server.stderrText.contains("stopped on \(name)"))
        // The player's socket was closed by the server, so it reads EOF rather than hanging.
        #expect(try player.readToEnd() == "")
    }

    @Test("a port already in use is reported by address with exit status 1")
    func portInUse() async throws {
        let holder = try PortHolder()
        defer { holder.close() }

        let result = try await GameserverProcess.runToExit(["--port", "\(holder.port)", "--capacity", "1"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("127.0.0.1:\(holder.port)"))
        #expect(result.stderr.contains("address already in use"))
    }

    @Test("a bad command line prints usage and exits with status 2", arguments: [
        [],
        ["--port", "7000"],
        ["--capacity", "3"],
        ["--port", "seven", "--capacity", "3"],
        ["--port", "70000", "--capacity", "3"],
        ["--port", "7000", "--capacity", "-1"],
        ["--port", "7000", "--capacity", "3", "--colour", "blue"],
        ["--port", "7000", "--capacity"],
        ["--port", "7000", "--port", "7001", "--capacity", "3"],
    ])
    func badCommandLine(arguments: [String]) async throws {
        let result = try await GameserverProcess.runToExit(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains("usage: sample-gameserver --port P --capacity C"))
    }
}

/// A socket listening on a free 127.0.0.1 port, to make the port busy for the server.
private struct PortHolder {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed: errno \(errno)") }
        var address = sockaddr_in.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard listening else {
            let code = errno
            Glibc.close(fd)
            throw TestFailure("could not listen on a free port: errno \(code)")
        }
        self.fd = fd
        self.port = UInt16(bigEndian: address.sin_port)
    }

    func close() {
        _ = Glibc.close(fd)
    }
}
