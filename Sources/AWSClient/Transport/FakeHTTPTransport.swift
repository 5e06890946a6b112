import Synchronization

/// An in-memory ``HTTPTransport`` for tests: it answers each request from a script and
/// remembers every request it was sent, without touching the network.
///
/// Script it either with a queue of outcomes, used one per request in order, or with a
/// handler that computes the outcome from the request. When the queue is empty, a request
/// fails with ``TransportError/connectionFailed(_:)`` saying so, which shows up in a test as
/// an unexpected extra call rather than a hang.
public final class FakeHTTPTransport: HTTPTransport {
    /// What the fake does with one request.
    public enum Outcome: Sendable {
        /// Answer with this response.
        case respond(TransportResponse)
        /// Fail with this error (usually a ``TransportError``).
        case fail(any Error)
    }

    private struct State {
        var script: [Outcome]
        var requests: [TransportRequest] = []
        var timeouts: [Duration] = []
    }

    private let state: Mutex<State>
    private let handler: (@Sendable (TransportRequest) throws -> TransportResponse)?

    /// Creates a fake that answers with `outcomes`, one per request, in order.
    public init(_ outcomes: [Outcome] = []) {
        self.state = Mutex(State(script: outcomes))
        self.handler = nil
    }

    /// Creates a fake that answers every request by calling `handler`; an error it throws is
    /// what `send` throws.
    public init(handler: @escaping @Sendable (TransportRequest) throws -> TransportResponse) {
        self.state = Mutex(State(script: []))
        self.handler = handler
    }

    /// Adds `outcomes` to the end of the script.
    public func enqueue(_ outcomes: Outcome...) {
        state.withLock { $0.script.append(contentsOf: outcomes) }
    }

    /// Every request sent so far, oldest first.
    public var requests: [TransportRequest] {
        state.withLock { $0.requests }
    }

    /// The timeout given with each request, in the same order as ``requests``.
    public var timeouts: [Duration] {
        state.withLock { $0.timeouts }
    }

    /// How many scripted outcomes are still unused.
    public var remainingOutcomes: Int {
        state.withLock { $0.script.count }
    }

    /// Records `request` and answers it from the handler or the script.
    public func send(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse {
        let next: Outcome? = state.withLock { state in
            state.requests.append(request)
            state.timeouts.append(timeout)
            return state.script.isEmpty ? nil : state.script.removeFirst()
        }
        if let handler {
            return try handler(request)
        }
        switch next {
        case .respond(let response):
            return response
        case .fail(let error):
            throw error
        case nil:
            throw TransportError.connectionFailed("FakeHTTPTransport has no scripted response for \(request.method) \(request.url)")
        }
    }
}
