/// The key pair (and, for temporary credentials, the session token) that signs a request.
///
/// The secret and the token never appear in `description`, `debugDescription` or a `Mirror`
/// (so `print`, string interpolation, `dump` and debugger summaries are safe to log): only the
/// access key id, which AWS treats as an identifier rather than a secret, is shown.
public struct AWSCredentials: Sendable, Equatable {
    /// The access key id, e.g. `AKIDEXAMPLE`. It appears in clear in every `Authorization` header.
    public var accessKeyID: String
    /// The secret access key. Only its HMAC derivatives ever leave this value.
    public var secretAccessKey: String
    /// The session token of temporary (STS) credentials, or `nil` for long-term keys.
    /// When present, the signer sends it as `X-Amz-Security-Token`.
    public var sessionToken: String?

    /// Creates credentials from their parts.
    /// - Parameters:
    ///   - accessKeyID: the access key id.
    ///   - secretAccessKey: the secret access key.
    ///   - sessionToken: the session token of temporary credentials; `nil` (the default) for long-term keys.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// A loggable summary: the access key id, and whether a session token is present.
    /// The secret and the token are replaced by a fixed marker, whatever their length.
    public var description: String {
        "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>, sessionToken: \(sessionToken == nil ? "nil" : "<redacted>"))"
    }

    /// The same redacted summary as `description`, so `String(reflecting:)` and `debugPrint` leak nothing either.
    public var debugDescription: String { description }

    /// A mirror with the secret and token redacted, because `dump` and debuggers walk stored
    /// properties through the mirror rather than through `description`.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyID": accessKeyID,
                "secretAccessKey": "<redacted>",
                "sessionToken": sessionToken == nil ? "nil" : "<redacted>",
            ],
            displayStyle: .struct
        )
    }
}
