import Foundation

/// Credentials from the container credentials endpoint that ECS (and EKS Pod Identity) runs
/// for a task's IAM role.
///
/// - `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is a path on ECS's endpoint, `http://169.254.170.2`.
/// - Otherwise `AWS_CONTAINER_CREDENTIALS_FULL_URI` is the whole URL. Over plain `http` it must
///   point at a loopback address or at the ECS/EKS link-local endpoints, so that the
///   authorization token is never sent in clear to another machine; `https` may go anywhere.
///   With it, `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (a file holding the token) or else
///   `AWS_CONTAINER_AUTHORIZATION_TOKEN` is sent as the `Authorization` header.
public struct ContainerCredentialSource: CredentialSource {
    /// `container credentials endpoint`.
    public let name = "container credentials endpoint"
    /// ECS's credentials endpoint, which relative URIs are resolved against.
    public static let ecsEndpoint = "http://169.254.170.2"
    /// The hosts allowed over plain `http` besides loopback: the ECS and EKS endpoints.
    static let linkLocalHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"]

    private let environment: [String: String]
    private let transport: any HTTPTransport
    private let timeout: Duration

    /// Creates a source.
    /// - Parameters:
    ///   - environment: the variables naming the endpoint and token.
    ///   - transport: what to send the request with.
    ///   - timeout: how long the endpoint may take; 5 s by default.
    public init(environment: [String: String], transport: any HTTPTransport, timeout: Duration = .seconds(5)) {
        self.environment = environment
        self.transport = transport
        self.timeout = timeout
    }

    /// Fetches the task role's credentials, if the environment names an endpoint.
    /// - Throws: ``CredentialsError/sourceFailed(source:reason:)`` when an endpoint is named but
    ///   refused, unreachable or answers with something other than credentials.
    public func lookUp() async throws -> CredentialLookup {
        var headers = [HTTPHeaderField(name: "Accept", value: "application/json")]
        let endpoint: AWSEndpoint
        let path: String
        if let relative = nonEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            endpoint = try! AWSEndpoint(url: Self.ecsEndpoint)
            path = relative.hasPrefix("/") ? relative : "/" + relative
        } else if let full = nonEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            (endpoint, path) = try split(full)
            if let token = try authorizationToken() {
                headers.append(HTTPHeaderField(name: "Authorization", value: token))
            }
        } else {
            return .notFound("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")
        }

        // Errors name the endpoint without its path: in ECS the path is a per-task id.
        let response: TransportResponse
        do {
            response = try await transport.send(TransportRequest(method: "GET", url: endpoint.url(path: path), headers: headers), timeout: timeout)
        } catch let error as TransportError {
            throw CredentialsError.sourceFailed(source: name, reason: "\(endpoint) \(error)")
        }
        guard response.status == 200 else {
            throw CredentialsError.sourceFailed(source: name, reason: "\(endpoint) answered HTTP \(response.status)")
        }
        switch CredentialsDocument.credentials(from: response.body) {
        case .success(let credentials):
            return .found(credentials)
        case .failure(let problem):
            throw CredentialsError.sourceFailed(source: name, reason: "\(endpoint): \(problem.reason)")
        }
    }

    private func nonEmpty(_ variable: String) -> String? {
        environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The endpoint and path+query of a full URI, after checking that it may carry a token.
    private func split(_ full: String) throws -> (AWSEndpoint, String) {
        guard let components = URLComponents(string: full), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw CredentialsError.sourceFailed(source: name, reason: "AWS_CONTAINER_CREDENTIALS_FULL_URI is not an absolute URL")
        }
        let bareHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        guard scheme == "https" || (scheme == "http" && Self.isAllowedPlainHost(bareHost)) else {
            throw CredentialsError.sourceFailed(
                source: name,
                reason: "AWS_CONTAINER_CREDENTIALS_FULL_URI must use https, or http to a loopback address or the ECS/EKS endpoint"
            )
        }
        var base = components
        base.path = ""
        base.query = nil
        base.fragment = nil
        guard let baseText = base.string, let endpoint = try? AWSEndpoint(url: baseText, origin: "AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            throw CredentialsError.sourceFailed(source: name, reason: "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a usable URL")
        }
        var path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if let query = components.percentEncodedQuery {
            path += "?" + query
        }
        return (endpoint, path)
    }

    /// Whether `host` may be reached over plain http with a token: loopback, or ECS/EKS.
    static func isAllowedPlainHost(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" || linkLocalHosts.contains(lowered) { return true }
        let octets = lowered.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// The token from the token file or variable, or `nil` when neither is set.
    private func authorizationToken() throws -> String? {
        var token: String?
        if let file = nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CredentialsError.sourceFailed(source: name, reason: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(file) cannot be read")
            }
            token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            token = nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        }
        // A line break inside would let the token add headers of its own.
        if let token, token.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw CredentialsError.sourceFailed(source: name, reason: "the authorization token contains a line break")
        }
        return token
    }
}
