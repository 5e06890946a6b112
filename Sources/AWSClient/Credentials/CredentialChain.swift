/// Asks credential sources in order and uses the first that has credentials.
///
/// A source that is not set up is passed over; one that is set up but fails stops the chain
/// with its error, since silently using the next identity would hide a misconfiguration.
public struct CredentialChain: CredentialSource {
    /// `credential chain`.
    public let name = "credential chain"
    /// The sources, in the order they are asked.
    public let sources: [any CredentialSource]

    /// Creates a chain of `sources`.
    public init(_ sources: [any CredentialSource]) {
        self.sources = sources
    }

    /// The order the AWS SDKs use: environment, shared credentials file, container endpoint,
    /// EC2 instance metadata.
    /// - Parameters:
    ///   - environment: the process environment (or a test's dictionary); nothing is read
    ///     from the real environment here.
    ///   - homeDirectory: where `.aws/credentials` lives; `nil` means `HOME` from `environment`.
    ///   - transport: what the container and metadata sources send requests with.
    public static func standard(
        environment: [String: String],
        homeDirectory: String? = nil,
        transport: any HTTPTransport
    ) -> CredentialChain {
        CredentialChain([
            EnvironmentCredentialSource(environment: environment),
            SharedCredentialsFileSource(environment: environment, homeDirectory: homeDirectory),
            ContainerCredentialSource(environment: environment, transport: transport),
            InstanceMetadataCredentialSource(environment: environment, transport: transport),
        ])
    }

    /// The first source's credentials.
    /// - Throws: the first error a source throws, or
    ///   ``CredentialsError/noCredentialsFound(tried:)`` listing every source and why it had none.
    public func lookUp() async throws -> CredentialLookup {
        var tried: [CredentialsError.TriedSource] = []
        for source in sources {
            switch try await source.lookUp() {
            case .found(let credentials):
                return .found(credentials)
            case .notFound(let reason):
                tried.append(.init(source: source.name, reason: reason))
            }
        }
        throw CredentialsError.noCredentialsFound(tried: tried)
    }
}
