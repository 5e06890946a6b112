/// Task 2 of SigV4, "create a string to sign": the algorithm, the request time, the credential
/// scope and the hash of the canonical request, one per line.
public struct StringToSign: Sendable, Equatable, CustomStringConvertible {
    /// The only algorithm this signer implements.
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// The request time as `YYYYMMDD'T'HHMMSS'Z'`, the same as `X-Amz-Date`.
    public var amzDate: String
    /// The date, region and service the signature is for.
    public var scope: CredentialScope
    /// The hex SHA-256 of the canonical request text.
    public var canonicalRequestHash: String

    /// Creates a string to sign from its parts.
    public init(amzDate: String, scope: CredentialScope, canonicalRequestHash: String) {
        self.amzDate = amzDate
        self.scope = scope
        self.canonicalRequestHash = canonicalRequestHash
    }

    /// The four lines joined by `\n`, with no trailing newline: the message task 4 signs.
    public var text: String {
        [Self.algorithm, amzDate, scope.description, canonicalRequestHash].joined(separator: "\n")
    }

    /// Same as ``text``.
    public var description: String { text }
}
