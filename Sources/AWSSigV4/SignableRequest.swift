/// The parts of an HTTP request that Signature Version 4 covers, as a plain value.
///
/// The signer reads it and returns a new one with the signing headers (or query parameters)
/// added; nothing here performs I/O. The transport that sends it should use `method`,
/// `target`, `headers` and `body` exactly as they are, since any change after signing
/// (other than to headers listed in ``SigningOptions/unsignedHeaderNames``) breaks the signature.
public struct SignableRequest: Sendable, Equatable {
    /// One header line. Names keep the caller's spelling; the signer lowercases them only
    /// inside the canonical request.
    public struct Header: Sendable, Equatable {
        /// The header name, e.g. `Content-Type`. Compared case-insensitively when signing.
        public var name: String
        /// The header value as sent. It may hold leading or trailing spaces or folded
        /// (multi-line) text; the canonical request trims and collapses it.
        public var value: String

        /// Creates a header line.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One query parameter in decoded form: the signer percent-encodes it.
    public struct QueryItem: Sendable, Equatable {
        /// The decoded parameter name, e.g. `Action`.
        public var name: String
        /// The decoded value; empty for a parameter written without `=`.
        public var value: String

        /// Creates a query parameter from decoded text.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The query string, either as decoded items or exactly as it appears after `?`.
    public enum Query: Sendable, Equatable {
        /// Decoded parameters in the order they are sent. Empty means no query string.
        case items([QueryItem])
        /// The query text after `?`, already percent-encoded and sent unchanged. When signing,
        /// each `name=value` pair is percent-decoded and re-encoded the AWS way, so `%41` and `A`
        /// sign the same; `+` is taken as a literal plus sign, not as a space.
        case raw(String)
    }

    /// The HTTP method, e.g. `GET` or `POST`, used as given (AWS expects upper case).
    public var method: String
    /// The path as it goes on the request line, before any `?`, e.g. `/` or `/example space/`.
    /// An empty path signs as `/`.
    public var path: String
    /// The query string.
    public var query: Query
    /// The headers in the order they are sent. Duplicate names are allowed: the canonical
    /// request joins their values with commas in this order. There must be a `Host` header,
    /// which AWS requires and the signer does not invent.
    public var headers: [Header]
    /// The body bytes; empty for none. Its SHA-256 is the payload hash.
    public var body: [UInt8]

    /// Creates a request.
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - path: the path as sent on the request line; defaults to `/`.
    ///   - query: the query string; defaults to none.
    ///   - headers: the headers in sending order, including `Host`.
    ///   - body: the body bytes; defaults to empty.
    public init(
        method: String,
        path: String = "/",
        query: Query = .items([]),
        headers: [Header] = [],
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The values of every header named `name` (case-insensitively), in sending order;
    /// empty if there is none.
    public func values(forHeader name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The query string as it goes on the wire, without the leading `?`: raw text unchanged, or
    /// the items percent-encoded (RFC 3986 unreserved characters kept) in their given order.
    public var encodedQuery: String {
        switch query {
        case .raw(let text):
            return text
        case .items(let items):
            return Self.encode(items)
        }
    }

    /// `items` as `name=value` pairs joined by `&`, each side percent-encoded, order kept.
    static func encode(_ items: [QueryItem]) -> String {
        items
            .map { URIEncoding.encode($0.name.utf8) + "=" + URIEncoding.encode($0.value.utf8) }
            .joined(separator: "&")
    }

    /// The request target for the request line: `path`, then `?` and ``encodedQuery`` when
    /// the query is not empty.
    public var target: String {
        let query = encodedQuery
        return query.isEmpty ? path : path + "?" + query
    }
}

extension SignableRequest.Query {
    /// This query with `items` added at the end, in order. Raw text gets them
    /// percent-encoded after an `&` (or as the whole query when it was empty), so what was
    /// already there is sent byte for byte as before.
    func appending(_ extra: [SignableRequest.QueryItem]) -> Self {
        guard !extra.isEmpty else { return self }
        switch self {
        case .items(let items):
            return .items(items + extra)
        case .raw(let text):
            let added = SignableRequest.encode(extra)
            return .raw(text.isEmpty ? added : text + "&" + added)
        }
    }
}
