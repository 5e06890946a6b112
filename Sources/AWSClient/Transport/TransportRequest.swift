/// An HTTP request as the transport sends it: nothing is added or changed on the way except
/// what HTTP/1.1 framing needs (`Content-Length`), which AWS leaves out of signatures.
public struct TransportRequest: Sendable, Equatable {
    /// The method, e.g. `POST`.
    public var method: String
    /// The absolute URL, e.g. `https://ecs.us-east-1.amazonaws.com/`.
    public var url: String
    /// The headers in sending order. For signed AWS requests they include `Host`.
    public var headers: [HTTPHeaderField]
    /// The body; empty for none.
    public var body: [UInt8]

    /// Creates a request.
    public init(method: String, url: String, headers: [HTTPHeaderField] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
