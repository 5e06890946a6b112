/// The per-service differences in how a request is canonicalised and what the signer adds.
///
/// Almost every service uses ``init(service:)``'s defaults; S3 is the main exception
/// (no path normalisation, single path encoding, `x-amz-content-sha256` required).
public struct SigningOptions: Sendable, Equatable {
    /// Whether the canonical URI has dot segments (`.`, `..`) removed and runs of `/`
    /// collapsed, e.g. `//example/./a/..` → `/example/`. AWS does this for every service but S3,
    /// whose object keys may legitimately contain such segments.
    public var normalizesPath: Bool

    /// Whether the path, taken as already encoded on the wire, is percent-encoded once more
    /// (so `%20` signs as `%2520`). AWS calls this encoding each segment "twice" and does it for
    /// every service but S3. When `false`, each segment is percent-decoded and encoded once, so
    /// a path sent in the AWS encoding signs exactly as sent.
    public var encodesPathTwice: Bool

    /// Whether the signer adds an `x-amz-content-sha256` header with the payload hash and signs
    /// it. S3 requires it; other services accept its absence.
    public var addsContentSHA256Header: Bool

    /// Whether the session token is part of what is signed. A few services want the token sent
    /// but left out of the signature; then the `X-Amz-Security-Token` header is still added
    /// but not listed in `SignedHeaders`, and a presigned URL gets the token after signing.
    public var signsSessionToken: Bool

    /// Lower-case names of headers left out of the signature, because something between the
    /// caller and AWS may add, change or drop them (or, for `authorization`, because the signer
    /// produces it). The `Host` header is always signed.
    public var unsignedHeaderNames: Set<String>

    /// The headers left unsigned by default: `authorization` is the signer's own output, and the
    /// rest are rewritten by HTTP clients and proxies (`user-agent` gets appended to,
    /// `x-amzn-trace-id` is added by tracing layers, and the others are hop-by-hop).
    public static let defaultUnsignedHeaderNames: Set<String> = [
        "authorization", "connection", "expect", "transfer-encoding", "user-agent", "x-amzn-trace-id",
    ]

    /// The options AWS uses for `service` (its signing name, e.g. `ecs`, `ec2`, `s3`):
    /// S3 gets no normalisation, single encoding and `x-amz-content-sha256`; every other service
    /// gets normalisation and double encoding without that header. The session token is signed.
    public init(service: String) {
        let isS3 = service == "s3"
        self.init(
            normalizesPath: !isS3,
            encodesPathTwice: !isS3,
            addsContentSHA256Header: isS3
        )
    }

    /// Creates options field by field.
    public init(
        normalizesPath: Bool = true,
        encodesPathTwice: Bool = true,
        addsContentSHA256Header: Bool = false,
        signsSessionToken: Bool = true,
        unsignedHeaderNames: Set<String> = SigningOptions.defaultUnsignedHeaderNames
    ) {
        self.normalizesPath = normalizesPath
        self.encodesPathTwice = encodesPathTwice
        self.addsContentSHA256Header = addsContentSHA256Header
        self.signsSessionToken = signsSessionToken
        self.unsignedHeaderNames = Set(unsignedHeaderNames.map { $0.lowercased() })
    }
}
