/// Credentials of the IAM role attached to the EC2 instance, from the instance metadata
/// service (IMDS), using its session-token protocol (IMDSv2):
///
/// 1. `PUT /latest/api/token` with `X-aws-ec2-metadata-token-ttl-seconds` gets a session token;
/// 2. `GET /latest/meta-data/iam/security-credentials/` with that token in
///    `X-aws-ec2-metadata-token` names the role;
/// 3. `GET /latest/meta-data/iam/security-credentials/ROLE` returns its credentials.
///
/// The service is `http://169.254.169.254`, `http://[fd00:ec2::254]` when
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` is `IPv6`, or `AWS_EC2_METADATA_SERVICE_ENDPOINT`.
/// `AWS_EC2_METADATA_DISABLED=true` turns this source off. The older token-less protocol
/// (IMDSv1) is not used.
public struct InstanceMetadataCredentialSource: CredentialSource {
    /// `EC2 instance metadata`.
    public let name = "EC2 instance metadata"
    /// How long a session token lives, in seconds: 6 hours, the service's maximum. The token
    /// is fetched anew for every lookup, which happens once per credentials refresh.
    public static let tokenTTLSeconds = 21_600
    static let credentialsPath = "/latest/meta-data/iam/security-credentials/"

    private let environment: [String: String]
    private let transport: any HTTPTransport
    private let timeout: Duration

    /// Creates a source.
    /// - Parameters:
    ///   - environment: the variables that move or disable the service.
    ///   - transport: what to send the requests with.
    ///   - timeout: how long each of the three requests may take; 1 s by default, as off EC2
    ///     nothing answers and every process start would otherwise wait on it.
    public init(environment: [String: String], transport: any HTTPTransport, timeout: Duration = .seconds(1)) {
        self.environment = environment
        self.transport = transport
        self.timeout = timeout
    }

    /// Whether `AWS_EC2_METADATA_DISABLED` turns the source off.
    public var isDisabled: Bool {
        environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true"
    }

    /// The service's endpoint text.
    public var endpointURL: String {
        if let configured = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"], !configured.isEmpty {
            return configured
        }
        if environment["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"]?.lowercased() == "ipv6" {
            return "http://[fd00:ec2::254]"
        }
        return "http://169.254.169.254"
    }

    /// Asks the metadata service for the role's credentials.
    ///
    /// No answer to the token request, or a refusal of it, means "not on EC2" (not found), as
    /// does an instance without a role. Once the service has answered, anything unexpected is
    /// an error.
    public func lookUp() async throws -> CredentialLookup {
        if isDisabled {
            return .notFound("disabled by AWS_EC2_METADATA_DISABLED")
        }
        let endpoint: AWSEndpoint
        do {
            endpoint = try AWSEndpoint(url: endpointURL, origin: "AWS_EC2_METADATA_SERVICE_ENDPOINT")
        } catch {
            throw CredentialsError.sourceFailed(source: name, reason: String(describing: error))
        }

        let tokenResponse: TransportResponse
        do {
            tokenResponse = try await transport.send(
                TransportRequest(
                    method: "PUT",
                    url: endpoint.url(path: "/latest/api/token"),
                    headers: [HTTPHeaderField(name: "X-aws-ec2-metadata-token-ttl-seconds", value: String(Self.tokenTTLSeconds))]
                ),
                timeout: timeout
            )
        } catch let error as TransportError {
            return .notFound("no metadata service at \(endpoint): \(error)")
        }
        guard tokenResponse.status == 200, !tokenResponse.body.isEmpty else {
            return .notFound("\(endpoint) refused a session token: HTTP \(tokenResponse.status)")
        }
        let token = tokenResponse.bodyText.trimmingXMLWhitespace()
        let tokenHeader = HTTPHeaderField(name: "X-aws-ec2-metadata-token", value: token)

        let roles = try await get(endpoint, Self.credentialsPath, tokenHeader)
        if roles.status == 404 {
            return .notFound("no IAM role is attached to this instance")
        }
        guard roles.status == 200 else {
            throw CredentialsError.sourceFailed(source: name, reason: "the role list answered HTTP \(roles.status)")
        }
        // The list has one role per line; an instance profile holds at most one role.
        let names = roles.bodyText.split(whereSeparator: \.isNewline).map { String($0).trimmingXMLWhitespace() }
        guard let role = names.first(where: { !$0.isEmpty }) else {
            return .notFound("no IAM role is attached to this instance")
        }

        let document = try await get(endpoint, Self.credentialsPath + role, tokenHeader)
        guard document.status == 200 else {
            throw CredentialsError.sourceFailed(source: name, reason: "the credentials of role \(role) answered HTTP \(document.status)")
        }
        switch CredentialsDocument.credentials(from: document.body) {
        case .success(let credentials):
            return .found(credentials)
        case .failure(let problem):
            throw CredentialsError.sourceFailed(source: name, reason: "role \(role): \(problem.reason)")
        }
    }

    private func get(_ endpoint: AWSEndpoint, _ path: String, _ tokenHeader: HTTPHeaderField) async throws -> TransportResponse {
        do {
            return try await transport.send(
                TransportRequest(method: "GET", url: endpoint.url(path: path), headers: [tokenHeader]),
                timeout: timeout
            )
        } catch let error as TransportError {
            throw CredentialsError.sourceFailed(source: name, reason: "\(endpoint) \(error)")
        }
    }
}
