import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// The live ``HTTPTransport``, over AsyncHTTPClient.
///
/// It either owns its `HTTPClient` (made by ``init(maxResponseBytes:connectTimeout:)`` and shut
/// down by ``shutdown()``) or borrows one that the caller keeps and shuts down itself.
///
/// An owned client never follows redirects (AWS APIs do not redirect, and following one could
/// carry a credentials-endpoint token to another host) and reports a refused connection at once
/// instead of retrying it internally. A borrowed client keeps the configuration it was made
/// with, so make it with `redirectConfiguration = .disallow` too.
public final class AsyncHTTPClientTransport: HTTPTransport {
    /// The default cap on a response body: 10 MiB, far above any ECS or EC2 answer gamefleet
    /// asks for, and small enough that a broken endpoint cannot exhaust memory.
    public static let defaultMaxResponseBytes = 10 * 1024 * 1024

    /// The largest response body accepted, in bytes; a longer one fails with
    /// ``TransportError/responseTooLarge(limit:)``.
    public let maxResponseBytes: Int
    private let client: HTTPClient
    private let ownsClient: Bool

    /// Creates a transport with its own `HTTPClient` on the shared event loop group. Call
    /// ``shutdown()`` before dropping it.
    /// - Parameters:
    ///   - maxResponseBytes: the body size cap; 10 MiB by default.
    ///   - connectTimeout: how long to wait for a TCP (and TLS) connection; 10 s by default. The
    ///     per-request timeout of ``send(_:timeout:)`` bounds it too.
    public init(maxResponseBytes: Int = AsyncHTTPClientTransport.defaultMaxResponseBytes, connectTimeout: Duration = .seconds(10)) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: TimeAmount(connectTimeout))
        // Left on, AsyncHTTPClient keeps retrying a refused connection until the request's
        // deadline, so one attempt against a dead endpoint would take the whole call timeout.
        // Connection failures are retried by the RetryPolicy instead, with backoff and the
        // token bucket, like every other transient failure.
        configuration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.ownsClient = true
        self.maxResponseBytes = maxResponseBytes
    }

    /// Creates a transport over an `HTTPClient` that the caller owns and shuts down; this
    /// transport's ``shutdown()`` leaves it running.
    public init(borrowing client: HTTPClient, maxResponseBytes: Int = AsyncHTTPClientTransport.defaultMaxResponseBytes) {
        self.client = client
        self.ownsClient = false
        self.maxResponseBytes = maxResponseBytes
    }

    /// Shuts the owned `HTTPClient` down, closing its connections; does nothing for a borrowed
    /// one. Requests sent afterwards fail.
    public func shutdown() async throws {
        if ownsClient {
            try await client.shutdown()
        }
    }

    /// Sends `request` and collects the body up to ``maxResponseBytes``, all within `timeout`.
    public func send(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        if !request.body.isEmpty {
            outgoing.body = .bytes(request.body)
        }
        let prepared = outgoing
        let client = self.client
        let limit = maxResponseBytes
        // AsyncHTTPClient's deadline stops at the response head, so the body is raced
        // against the same timeout here; a server that trickles its body cannot hold a call.
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        do {
            return try await Self.withTimeout(timeout) {
                let response = try await client.execute(prepared, deadline: deadline)
                let body = try await response.body.collect(upTo: limit)
                return TransportResponse(
                    status: Int(response.status.code),
                    headers: response.headers.map { HTTPHeaderField(name: $0.name, value: $0.value) },
                    body: Array(buffer: body)
                )
            }
        } catch let error as TransportError {
            throw error
        } catch is NIOTooManyBytesError {
            throw TransportError.responseTooLarge(limit: limit)
        } catch let error as HTTPClientError {
            throw Self.transportError(for: error, timeout: timeout)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw TransportError.connectionFailed(String(describing: error))
        }
    }

    /// The ``TransportError`` an AsyncHTTPClient error stands for.
    static func transportError(for error: HTTPClientError, timeout: Duration) -> TransportError {
        switch error {
        case .deadlineExceeded, .connectTimeout, .readTimeout, .writeTimeout, .tlsHandshakeTimeout,
            .getConnectionFromPoolTimeout:
            return .timedOut(after: timeout)
        case .invalidURL, .emptyHost, .emptyScheme, .traceRequestWithBody:
            return .invalidRequest(String(describing: error))
        default:
            // `unsupportedScheme` carries the scheme, so it cannot be matched as a constant.
            if String(describing: error).contains("unsupportedScheme") {
                return .invalidRequest(String(describing: error))
            }
            return .connectionFailed(String(describing: error))
        }
    }

    /// The result of `work`, or ``TransportError/timedOut(after:)`` if it has not finished
    /// after `timeout`, in which case it is cancelled.
    private static func withTimeout(
        _ timeout: Duration,
        _ work: @escaping @Sendable () async throws -> TransportResponse
    ) async throws -> TransportResponse {
        try await withThrowingTaskGroup(of: TransportResponse?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let response = first else {
                throw TransportError.timedOut(after: timeout)
            }
            return response
        }
    }
}
