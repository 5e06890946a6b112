import AWSSigV4

/// A ``CredentialProvider`` that always returns the same credentials: for tests, moto and
/// keys given on the command line.
public struct StaticCredentialProvider: CredentialProvider {
    /// The credentials returned.
    public let fixed: AWSCredentials

    /// Creates a provider of `credentials`.
    public init(_ credentials: AWSCredentials) {
        self.fixed = credentials
    }

    /// Returns the fixed credentials.
    public func credentials() async throws -> AWSCredentials { fixed }
}
