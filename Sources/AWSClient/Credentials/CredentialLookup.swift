/// The outcome of asking one ``CredentialSource``.
public enum CredentialLookup: Sendable, Equatable {
    /// Credentials were found.
    case found(ExpiringCredentials)
    /// This source has none here, for the reason given (e.g. `AWS_ACCESS_KEY_ID is not set`).
    case notFound(String)
}
