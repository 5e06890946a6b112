import Crypto

/// Task 3 of SigV4, "calculate the signing key": the key derived from the secret access key
/// through the HMAC-SHA256 chain date → region → service → `aws4_request`.
///
/// It is as good as the secret for its scope and day, so it is never printed: `description`,
/// `debugDescription` and the mirror show only the scope.
public struct SigningKey: Sendable, Equatable {
    /// The scope the key was derived for; it can sign nothing else.
    public let scope: CredentialScope
    /// The 32 key bytes.
    public let bytes: [UInt8]

    /// Derives the key for `scope` from `secretAccessKey`:
    /// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
    public init(secretAccessKey: String, scope: CredentialScope) {
        var key = Array(("AWS4" + secretAccessKey).utf8)
        for part in [scope.dateStamp, scope.region, scope.service, CredentialScope.terminator] {
            key = Self.hmac(key: key, message: Array(part.utf8))
        }
        self.scope = scope
        self.bytes = key
    }

    /// The key as lower-case hex, for comparing with published examples.
    public var hex: String { Hex.lowercase(bytes) }

    /// HMAC-SHA256 of `message` under `key`.
    static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }
}

extension SigningKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The scope only; the key bytes are redacted.
    public var description: String { "SigningKey(scope: \(scope), bytes: <redacted>)" }
    /// Same as `description`.
    public var debugDescription: String { description }
    /// A mirror without the key bytes, so `dump` leaks nothing.
    public var customMirror: Mirror {
        Mirror(self, children: ["scope": scope, "bytes": "<redacted>"], displayStyle: .struct)
    }
}
