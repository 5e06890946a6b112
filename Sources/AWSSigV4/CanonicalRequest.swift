import Crypto

/// Task 1 of SigV4, "create a canonical request": the request rewritten in the one form
/// that the signer and AWS both derive independently, so that equal requests hash equally.
///
/// It is six lines joined by `\n`: method, canonical URI, canonical query string, canonical
/// headers (each line ending in `\n`, hence a blank line after them), signed headers, and the
/// payload hash.
public struct CanonicalRequest: Sendable, Equatable, CustomStringConvertible {
    /// The HTTP method as given.
    public var method: String
    /// The canonical URI: the path, normalised per ``SigningOptions/normalizesPath`` and
    /// percent-encoded per segment; `/` for an empty path.
    public var canonicalURI: String
    /// The query parameters percent-encoded, sorted by encoded name then encoded value, and
    /// joined as `name=value` with `&`; empty when there is no query.
    public var canonicalQuery: String
    /// One `name:value\n` line per signed header name, names lower-cased and sorted, values
    /// trimmed, inner whitespace runs collapsed to one space, duplicates joined by `,` in order.
    public var canonicalHeaders: String
    /// The lower-case signed header names, sorted and joined by `;`, e.g. `host;x-amz-date`.
    public var signedHeaders: String
    /// The hex SHA-256 of the body (`e3b0c442…b855` for an empty body).
    public var payloadHash: String

    /// Canonicalises `request` exactly as given: the signer's own headers or query parameters
    /// must already be in it. Every header is signed except those in
    /// ``SigningOptions/unsignedHeaderNames`` (and, when the token is not signed,
    /// `x-amz-security-token`).
    public init(request: SignableRequest, options: SigningOptions) {
        let headers = Self.canonicalHeaderList(request.headers, options: options)

        self.method = request.method
        self.canonicalURI = Self.canonicalURI(path: request.path, options: options)
        self.canonicalQuery = Self.canonicalQuery(request.query)
        self.canonicalHeaders = headers.map { "\($0.name):\($0.value)\n" }.joined()
        self.signedHeaders = headers.map(\.name).joined(separator: ";")
        self.payloadHash = Self.payloadHash(of: request.body)
    }

    /// The canonical request text that task 2 hashes.
    public var text: String {
        [method, canonicalURI, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash]
            .joined(separator: "\n")
    }

    /// The hex SHA-256 of ``text``: the last line of the string to sign.
    public var hash: String {
        Hex.lowercase(SHA256.hash(data: Array(text.utf8)))
    }

    /// Same as ``text``.
    public var description: String { text }

    /// The hex SHA-256 of `body`, as used for the last canonical line and `x-amz-content-sha256`.
    public static func payloadHash(of body: [UInt8]) -> String {
        Hex.lowercase(SHA256.hash(data: body))
    }
}
