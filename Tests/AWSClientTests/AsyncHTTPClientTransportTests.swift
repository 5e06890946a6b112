import AWSClient
import Glibc
import Testing

/// The live transport against a local SwiftNIO server.
@Suite("Live transport")
struct AsyncHTTPClientTransportTests {
    @Test("Sends method, headers and body as given; returns status, headers and body")
    func roundTrip() async throws {
        try await LocalHTTPServer.with({ request in
            .init(status: 201, headers: [HTTPHeaderField(name: "X-Echo-Method", value: request.method)], body: request.body.reversed())
        }) { server in
            try await AsyncHTTPClientTransport.with { transport in
                let response = try await transport.send(
                    TransportRequest(
                        method: "POST",
                        url: server.baseURL + "/path?q=1",
                        headers: [HTTPHeaderField(name: "Host", value: "example.test:1234"), HTTPHeaderField(name: "X-Amz-Target", value: "T.Op")],
                        body: Array("abc".utf8)
                    ),
                    timeout: .seconds(60)
                )
                #expect(response.status == 201)
                #expect(response.headers.value(for: "x-echo-method") == "POST")
                #expect(response.bodyText == "cba")
                let received = try #require(server.requests.first)
                #expect(received.uri == "/path?q=1")
                // The signed Host header must reach the server unchanged, not be replaced.
                #expect(received.headers.filter { $0.name.lowercased() == "host" }.map(\.value) == ["example.test:1234"])
                #expect(received.header("X-Amz-Target") == "T.Op")
                #expect(received.body == Array("abc".utf8))
            }
        }
    }

    @Test("Bodies over the cap fail instead of filling memory")
    func sizeCap() async throws {
        try await LocalHTTPServer.with({ request in
            .init(status: 200, body: Array(repeating: 0x41, count: request.uri == "/big" ? 4096 : 1024))
        }) { server in
            try await AsyncHTTPClientTransport.with(maxResponseBytes: 1024) { transport in
                await #expect(throws: TransportError.responseTooLarge(limit: 1024)) {
                    try await transport.send(TransportRequest(method: "GET", url: server.baseURL + "/big"), timeout: .seconds(60))
                }
                let fits = try await transport.send(TransportRequest(method: "GET", url: server.baseURL + "/fits"), timeout: .seconds(60))
                #expect(fits.body.count == 1024)
            }
        }
        #expect(AsyncHTTPClientTransport.defaultMaxResponseBytes == 10 * 1024 * 1024)
    }

    @Test("A server slower than the timeout is a timeout")
    func timeout() async throws {
        try await LocalHTTPServer.with({ _ in .init(status: 200, body: [], delay: .seconds(3)) }) { server in
            try await AsyncHTTPClientTransport.with { transport in
                await #expect(throws: TransportError.timedOut(after: .milliseconds(300))) {
                    try await transport.send(TransportRequest(method: "GET", url: server.baseURL), timeout: .milliseconds(300))
                }
            }
        }
    }

    @Test("Nobody listening is a connection failure, reported at once; redirects are returned, not followed")
    func refusedAndRedirect() async throws {
        // A port bound but not listening, and held for the whole test: connecting is refused, and no
        // other test can start listening on it meanwhile (a port merely found free could be taken).
        let closed = try ClosedPort()
        defer { closed.release() }
        let port = closed.port
        try await AsyncHTTPClientTransport.with { transport in
            let clock = ContinuousClock()
            let started = clock.now
            let timeout = Duration.seconds(120)
            await #expect {
                try await transport.send(TransportRequest(method: "GET", url: "http://127.0.0.1:\(port)/"), timeout: timeout)
            } throws: { error in
                if case .connectionFailed = error as? TransportError { return true }
                return false
            }
            // Not held until the timeout by retries inside AsyncHTTPClient: the RetryPolicy decides
            // about retrying. Retries would take the whole 120 s; a refused connection takes
            // milliseconds, so half the timeout tells the two apart on any machine.
            let took = started.duration(to: clock.now)
            #expect(took < timeout / 2, "a refused connection was reported after \(took)")
            try await LocalHTTPServer.with({ _ in .init(status: 302, headers: [HTTPHeaderField(name: "Location", value: "http://127.0.0.1:\(port)/elsewhere")]) }) { server in
                let response = try await transport.send(TransportRequest(method: "GET", url: server.baseURL), timeout: .seconds(60))
                #expect(response.status == 302)
                #expect(server.requests.count == 1)
            }
        }
    }

    @Test("A malformed URL is an invalid request")
    func invalidURL() async throws {
        try await AsyncHTTPClientTransport.with { transport in
            await #expect {
                try await transport.send(TransportRequest(method: "GET", url: "gopher://127.0.0.1/"), timeout: .seconds(1))
            } throws: { error in
                if case .invalidRequest = error as? TransportError { return true }
                return false
            }
        }
    }

    @Test("A borrowed client is left running by shutdown()")
    func borrowed() async throws {
        let transport = AsyncHTTPClientTransport(borrowing: .shared)
        try await transport.shutdown()
        try await LocalHTTPServer.with({ _ in .init(status: 204) }) { (server: LocalHTTPServer) async throws in
            #expect(try await transport.send(TransportRequest(method: "GET", url: server.baseURL), timeout: .seconds(60)).status == 204)
        }
    }
}

/// A TCP port on 127.0.0.1 that is bound and not listening, until ``release()``.
struct ClosedPort {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard fd >= 0, bound else {
            if fd >= 0 { close(fd) }
            throw TransportError.invalidRequest("cannot bind a port on 127.0.0.1 for the test")
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func release() { close(fd) }
}
