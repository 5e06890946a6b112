import Foundation

/// Where a service's requests go: scheme, host, optional port and base path, e.g.
/// `https://ecs.us-east-1.amazonaws.com` or moto's `http://127.0.0.1:5000`.
public struct AWSEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// The host name or address; IPv6 addresses without brackets.
    public var host: String
    /// The port, or `nil` for the scheme's default.
    public var port: Int?
    /// A path prefix that every request path is appended to, without a trailing `/`; usually
    /// empty.
    public var basePath: String

    /// Why an endpoint URL was refused.
    public struct InvalidURL: Error, Sendable, Equatable, CustomStringConvertible {
        /// The text that was given.
        public var url: String
        /// Where it came from, e.g. `AWS_ENDPOINT_URL_ECS`.
        public var origin: String
        /// What is wrong with it.
        public var reason: String

        /// E.g. `invalid endpoint "ftp://x" from AWS_ENDPOINT_URL: the scheme must be http or https`.
        public var description: String { "invalid endpoint \"\(url)\" from \(origin): \(reason)" }
    }

    /// Reads an absolute `http` or `https` URL with a host. A query or fragment is refused,
    /// since every request brings its own.
    /// - Parameters:
    ///   - url: the URL text.
    ///   - origin: where it came from, for the error message.
    public init(url: String, origin: String = "endpoint") throws {
        let text = url.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw InvalidURL(url: url, origin: origin, reason: "not an absolute URL")
        }
        guard scheme == "http" || scheme == "https" else {
            throw InvalidURL(url: url, origin: origin, reason: "the scheme must be http or https")
        }
        guard let host = components.host, !host.isEmpty else {
            throw InvalidURL(url: url, origin: origin, reason: "no host")
        }
        guard components.query == nil, components.fragment == nil else {
            throw InvalidURL(url: url, origin: origin, reason: "a query or fragment is not allowed")
        }
        self.scheme = scheme
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        self.basePath = path
    }

    /// The default AWS endpoint of `service` in `region`: `https://PREFIX.REGION.amazonaws.com`,
    /// or `amazonaws.com.cn` in the China regions.
    public static func standard(for service: AWSService, region: String) -> AWSEndpoint {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return AWSEndpoint(scheme: "https", host: "\(service.endpointPrefix).\(region).\(suffix)", port: nil, basePath: "")
    }

    private init(scheme: String, host: String, port: Int?, basePath: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
    }

    /// The endpoint for `service`, choosing in this order:
    /// 1. `explicit` (from gamefleet's configuration, e.g. fleet.yaml's `ecs.endpoint`);
    /// 2. the service's own variable, `AWS_ENDPOINT_URL_<ID>` (e.g. `AWS_ENDPOINT_URL_ECS`);
    /// 3. `AWS_ENDPOINT_URL`, for every service;
    /// 4. the standard AWS endpoint for `region`.
    ///
    /// Empty values count as unset. When `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is `true`, the
    /// two variables are ignored, as in the AWS SDKs; `explicit` still applies.
    /// - Throws: ``InvalidURL`` when the chosen value is not a usable URL (a bad value is not
    ///   skipped in favour of the next one, so a typo cannot send requests to real AWS).
    public static func resolve(
        for service: AWSService,
        region: String,
        explicit: String?,
        environment: [String: String]
    ) throws -> AWSEndpoint {
        if let explicit, !explicit.isEmpty {
            return try AWSEndpoint(url: explicit, origin: "the configured endpoint")
        }
        let ignoresVariables = environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true"
        if !ignoresVariables {
            for name in ["AWS_ENDPOINT_URL_\(service.environmentID)", "AWS_ENDPOINT_URL"] {
                if let value = environment[name], !value.isEmpty {
                    return try AWSEndpoint(url: value, origin: name)
                }
            }
        }
        return standard(for: service, region: region)
    }

    /// This endpoint with `label` and a dot before its host (S3's virtual-hosted buckets:
    /// `examplebucket.s3.us-east-1.amazonaws.com`); scheme, port and base path unchanged.
    public func prefixingHost(with label: String) -> AWSEndpoint {
        AWSEndpoint(scheme: scheme, host: "\(label).\(host)", port: port, basePath: basePath)
    }

    /// The `Host` header value: the host, with the port when it is not the scheme's default.
    public var hostHeader: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        guard let port, port != (scheme == "https" ? 443 : 80) else { return bracketed }
        return "\(bracketed):\(port)"
    }

    /// The absolute URL of `path` (which starts with `/`) on this endpoint.
    public func url(path: String) -> String {
        "\(scheme)://\(hostHeader)\(basePath)\(path)"
    }

    /// The endpoint as a URL, e.g. `http://127.0.0.1:5000`.
    public var description: String { url(path: "") }
}
