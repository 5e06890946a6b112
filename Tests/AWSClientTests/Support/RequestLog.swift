import Synchronization

/// The requests a server has received, shared between its connections.
final class RequestLog: Sendable {
    private let stored = Mutex<[LocalHTTPServer.Request]>([])
    func append(_ request: LocalHTTPServer.Request) { stored.withLock { $0.append(request) } }
    var all: [LocalHTTPServer.Request] { stored.withLock { $0 } }
}
