/// A complete HTTP response: status, headers and the whole body.
public struct TransportResponse: Sendable, Equatable {
    /// The status code, e.g. `200`.
    public var status: Int
    /// The headers as received.
    public var headers: [HTTPHeaderField]
    /// The body bytes, never more than the transport's size limit.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [HTTPHeaderField] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Creates a response whose body is `text` in UTF-8.
    public init(status: Int, headers: [HTTPHeaderField] = [], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body decoded as UTF-8, with invalid bytes replaced.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
