import AWSClient
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 at a port the OS picks, for tests that need a real
/// endpoint (the container credentials endpoint, the EC2 metadata service, the live transport).
/// Each request is answered by a handler and recorded; every response closes its connection,
/// so no idle connection outlives a test.
final class LocalHTTPServer: Sendable {
    struct Request: Sendable {
        var method: String
        var uri: String
        var headers: [HTTPHeaderField]
        var body: [UInt8]

        func header(_ name: String) -> String? { headers.value(for: name) }
    }

    struct Response: Sendable {
        var status: Int
        var headers: [HTTPHeaderField] = []
        var body: [UInt8] = []
        /// How long to wait before answering, to provoke timeouts.
        var delay: Duration?

        init(status: Int, headers: [HTTPHeaderField] = [], body: [UInt8] = [], delay: Duration? = nil) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
        }

        init(status: Int, text: String, headers: [HTTPHeaderField] = []) {
            self.init(status: status, headers: headers, body: Array(text.utf8))
        }
    }

    typealias Handler = @Sendable (Request) -> Response

    let port: Int
    private let serverChannel: any Channel
    private let acceptLoop: Task<Void, Never>
    private let log: RequestLog

    /// `http://127.0.0.1:PORT`.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Every request received so far, in order.
    var requests: [Request] { log.all }

    private init(port: Int, serverChannel: any Channel, acceptLoop: Task<Void, Never>, log: RequestLog) {
        self.port = port
        self.serverChannel = serverChannel
        self.acceptLoop = acceptLoop
        self.log = log
    }

    /// Starts a server answering with `handler`.
    static func start(_ handler: @escaping Handler) async throws -> LocalHTTPServer {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        let port = server.channel.localAddress?.port ?? 0
        let log = RequestLog()
        let loop = Task<Void, Never> {
            _ = try? await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask {
                            try? await Self.serve(connection, handler: handler, log: log)
                        }
                    }
                }
            }
        }
        return LocalHTTPServer(port: port, serverChannel: server.channel, acceptLoop: loop, log: log)
    }

    /// Stops accepting, ends open exchanges and waits for the server to finish.
    func stop() async {
        try? await serverChannel.close()
        acceptLoop.cancel()
        await acceptLoop.value
    }

    private static func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
        handler: Handler,
        log: RequestLog
    ) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body = []
                case .body(let buffer):
                    body += Array(buffer: buffer)
                case .end:
                    guard let head else { return }
                    let request = Request(
                        method: head.method.rawValue,
                        uri: head.uri,
                        headers: head.headers.map { HTTPHeaderField(name: $0.name, value: $0.value) },
                        body: body
                    )
                    log.append(request)
                    let response = handler(request)
                    if let delay = response.delay {
                        try await Task.sleep(for: delay)
                    }
                    var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
                    headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
                    headers.replaceOrAdd(name: "Connection", value: "close")
                    try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)))
                    if !response.body.isEmpty {
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
                    }
                    try await outbound.write(.end(nil))
                    return
                }
            }
        }
    }
}

extension LocalHTTPServer {
    /// Runs `body` with a server answering with `handler`, stopping the server afterwards
    /// whether `body` succeeds or throws.
    @discardableResult
    static func with<T>(_ handler: @escaping Handler, _ body: (LocalHTTPServer) async throws -> T) async throws -> T {
        let server = try await start(handler)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}
