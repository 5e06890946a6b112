import AWSSigV4

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, for temporary ones,
/// `AWS_SESSION_TOKEN`: the first place the AWS SDKs look.
public struct EnvironmentCredentialSource: CredentialSource {
    /// `environment`.
    public let name = "environment"
    private let environment: [String: String]

    /// Creates a source reading `environment` (pass `ProcessInfo.processInfo.environment` in
    /// production, a dictionary in tests).
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// Finds the keys; empty values count as unset.
    /// - Throws: ``CredentialsError/sourceFailed(source:reason:)`` when only one of the key id
    ///   and the secret is set, which is a broken setup rather than an absent one.
    public func lookUp() async throws -> CredentialLookup {
        let keyID = environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = environment["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        switch (keyID, secret) {
        case (nil, nil):
            return .notFound("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        case (.some, nil):
            throw CredentialsError.sourceFailed(source: name, reason: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        case (nil, .some):
            throw CredentialsError.sourceFailed(source: name, reason: "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        case (.some(let keyID), .some(let secret)):
            let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return .found(ExpiringCredentials(AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token)))
        }
    }
}
