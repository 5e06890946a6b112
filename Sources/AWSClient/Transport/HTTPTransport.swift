/// Sends one HTTP request and hands back the complete response: the only way the AWS clients
/// and the credential sources reach the network.
///
/// The live implementation is ``AsyncHTTPClientTransport``; tests use ``FakeHTTPTransport``,
/// which answers from a script and remembers what it was asked.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and waits for the whole response, head and body.
    ///
    /// An HTTP error status (4xx, 5xx) is a normal response here, not an error: deciding what a
    /// status means is the caller's business.
    /// - Parameters:
    ///   - request: the request, sent exactly as given (no header is rewritten, so a signature
    ///     over it stays valid).
    ///   - timeout: how long the whole exchange, from connecting to the last body byte, may take.
    /// - Throws: ``TransportError`` when no complete response arrived in time; `CancellationError`
    ///   when the calling task was cancelled.
    func send(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse
}
