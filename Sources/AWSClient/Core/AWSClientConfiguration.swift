import Foundation
import Logging

/// What the ECS and EC2 clients share: region, credentials, transport, retry policy and the
/// injected effects (clock, wall time, randomness, logging).
public struct AWSClientConfiguration: Sendable {
    /// The region, e.g. `us-east-1`; it picks the default endpoints and is part of every
    /// signature.
    public var region: String
    /// The credentials to sign with.
    public var credentials: any CredentialProvider
    /// How requests travel.
    public var transport: any HTTPTransport
    /// The environment the `AWS_ENDPOINT_URL*` variables are read from (the process
    /// environment in production; nothing here reads it by itself).
    public var environment: [String: String]
    /// When to retry and how long to wait.
    public var retryPolicy: RetryPolicy
    /// How long one attempt (sending a request and reading its whole response) may take.
    public var timeout: Duration
    /// The clock retries sleep on and call durations are measured with.
    public var clock: any Clock<Duration>
    /// The wall-clock time that requests are signed with.
    public var now: @Sendable () -> Date
    /// The randomness of retry jitter.
    public var random: RandomSource
    /// Where each call's debug line goes (operation, status, attempt, duration; never a
    /// header or body).
    public var logger: Logger

    /// Creates a configuration; only the region, credentials and transport have no default.
    /// - Parameters:
    ///   - region: the region.
    ///   - credentials: the credentials provider, e.g. ``CachedCredentialProvider/standard(environment:homeDirectory:transport:now:logger:)``.
    ///   - transport: the transport, e.g. an ``AsyncHTTPClientTransport``.
    ///   - environment: variables for endpoint overrides; empty by default.
    ///   - retryPolicy: ``RetryPolicy/standard`` by default.
    ///   - timeout: per attempt; 30 s by default.
    ///   - clock: `ContinuousClock` by default.
    ///   - now: `Date()` by default.
    ///   - random: ``RandomSource/system`` by default.
    ///   - logger: a logger labelled `gamefleet.aws` by default.
    public init(
        region: String,
        credentials: any CredentialProvider,
        transport: any HTTPTransport,
        environment: [String: String] = [:],
        retryPolicy: RetryPolicy = .standard,
        timeout: Duration = .seconds(30),
        clock: any Clock<Duration> = ContinuousClock(),
        now: @escaping @Sendable () -> Date = { Date() },
        random: RandomSource = .system,
        logger: Logger = Logger(label: "gamefleet.aws")
    ) {
        self.region = region
        self.credentials = credentials
        self.transport = transport
        self.environment = environment
        self.retryPolicy = retryPolicy
        self.timeout = timeout
        self.clock = clock
        self.now = now
        self.random = random
        self.logger = logger
    }
}
