/// One place credentials can come from: the environment, the shared credentials file, the ECS
/// container endpoint, the EC2 instance metadata service, or a chain of these.
public protocol CredentialSource: Sendable {
    /// A short name for messages, e.g. `environment` or `shared credentials file`.
    var name: String { get }

    /// Looks for credentials.
    /// - Returns: ``CredentialLookup/found(_:)``, or ``CredentialLookup/notFound(_:)`` with the
    ///   reason when this source is not set up here (so the next one should be tried).
    /// - Throws: ``CredentialsError`` when the source is set up but broken (a profile without a
    ///   secret key, an endpoint answering 403…): falling through to another identity then
    ///   would hide the mistake.
    func lookUp() async throws -> CredentialLookup
}
