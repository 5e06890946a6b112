import AWSSigV4

/// Hands out the credentials to sign the next request with. The clients ask before every
/// attempt, so a provider that refreshes (``CachedCredentialProvider``) keeps long-running
/// processes signing with current keys.
public protocol CredentialProvider: Sendable {
    /// The credentials to use now.
    /// - Throws: ``CredentialsError`` when none can be had.
    func credentials() async throws -> AWSCredentials
}
