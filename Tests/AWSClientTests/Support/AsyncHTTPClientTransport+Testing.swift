import AWSClient

extension AsyncHTTPClientTransport {
    /// Runs `body` with a new owning transport and shuts it down afterwards, whether `body`
    /// succeeds or throws (an owned HTTPClient must be shut down before it is released).
    @discardableResult
    static func with<T>(maxResponseBytes: Int = AsyncHTTPClientTransport.defaultMaxResponseBytes, _ body: (AsyncHTTPClientTransport) async throws -> T) async throws -> T {
        let transport = AsyncHTTPClientTransport(maxResponseBytes: maxResponseBytes)
        do {
            let result = try await body(transport)
            try await transport.shutdown()
            return result
        } catch {
            try? await transport.shutdown()
            throw error
        }
    }
}
