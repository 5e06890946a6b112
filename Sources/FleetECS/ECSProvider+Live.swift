import AWSClient
import FleetCore
import Foundation
import Logging

extension ECSProvider {
    /// A provider talking to AWS (or to the emulator `ecs.endpoint` names).
    ///
    /// - Credentials: the standard chain over `environment` (environment variables, the shared
    ///   credentials file, the container credentials endpoint, EC2 instance metadata), cached and
    ///   refreshed before they expire.
    /// - Endpoints: `ecs.endpoint` from fleet.yaml for both ECS and EC2 when set; otherwise
    ///   `AWS_ENDPOINT_URL_ECS` / `AWS_ENDPOINT_URL_EC2`, then `AWS_ENDPOINT_URL`, then the region's.
    /// - One HTTP client for everything, closed by ``shutdown()``.
    ///
    /// The region and endpoints are fixed here; a reload that changes them needs a new provider.
    /// - Throws: `AWSEndpoint.InvalidURL` when an endpoint is not a usable URL (nothing is
    ///   left open then).
    public static func live(
        spec: ECSSpec, environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "gamefleet.ecs"), settings: Settings = Settings()
    ) throws -> ECSProvider {
        // Endpoints are checked before the HTTP client exists, so a bad URL leaves nothing open.
        for service in [AWSService.ecs, .ec2] {
            _ = try AWSEndpoint.resolve(for: service, region: spec.region, explicit: spec.endpoint, environment: environment)
        }
        let transport = AsyncHTTPClientTransport()
        let configuration = AWSClientConfiguration(
            region: spec.region,
            credentials: CachedCredentialProvider.standard(environment: environment, transport: transport, logger: logger),
            transport: transport,
            environment: environment,
            retryPolicy: settings.retryPolicy,
            timeout: settings.callTimeout,
            logger: logger)
        let ecs = try ECSClient(configuration: configuration, endpoint: spec.endpoint)
        let ec2 = try EC2Client(configuration: configuration, endpoint: spec.endpoint)
        return ECSProvider(
            ecs: LiveECS(client: ecs), ec2: LiveEC2(client: ec2), settings: settings, logger: logger,
            closeClients: { try? await transport.shutdown() })
    }
}
