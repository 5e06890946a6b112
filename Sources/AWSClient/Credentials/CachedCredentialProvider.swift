import AWSSigV4
import Foundation
import Logging

/// A ``CredentialProvider`` that keeps what a ``CredentialSource`` found and asks it again only
/// when the credentials are close to expiring.
///
/// Temporary credentials are refreshed ``refreshWindow`` before their `Expiration` (5 minutes
/// by default), so no request is signed with keys about to lapse in flight. Callers arriving
/// during a refresh wait for that same refresh rather than starting their own. If a refresh
/// fails while the old credentials have not yet expired, the old ones are used and the next
/// call tries again; once they have expired, the error is thrown.
public actor CachedCredentialProvider: CredentialProvider {
    /// How long before expiry the credentials are fetched again.
    public let refreshWindow: Duration
    private let source: any CredentialSource
    private let now: @Sendable () -> Date
    private let logger: Logger
    private var cached: ExpiringCredentials?
    private var refresh: Task<ExpiringCredentials, any Error>?

    /// Creates a provider.
    /// - Parameters:
    ///   - source: where credentials come from, usually ``CredentialChain/standard(environment:homeDirectory:transport:)``.
    ///   - refreshWindow: how long before expiry to refresh; 5 minutes by default.
    ///   - now: the current time; injected so tests can move it.
    ///   - logger: receives a debug line per refresh (access key id and expiry only).
    public init(
        source: any CredentialSource,
        refreshWindow: Duration = .seconds(300),
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "gamefleet.aws.credentials")
    ) {
        self.source = source
        self.refreshWindow = refreshWindow
        self.now = now
        self.logger = logger
    }

    /// The cached credentials, fetched first if there are none or they are within the refresh
    /// window of expiring.
    /// - Throws: ``CredentialsError`` from the source, or when it finds nothing.
    public func credentials() async throws -> AWSCredentials {
        let current = now()
        if let cached, !needsRefresh(cached, at: current) {
            return cached.credentials
        }
        let task: Task<ExpiringCredentials, any Error>
        if let refresh {
            task = refresh
        } else {
            let source = self.source
            task = Task {
                switch try await source.lookUp() {
                case .found(let credentials):
                    return credentials
                case .notFound(let reason):
                    throw CredentialsError.noCredentialsFound(tried: [.init(source: source.name, reason: reason)])
                }
            }
            refresh = task
        }
        do {
            let fresh = try await task.value
            if refresh == task {
                refresh = nil
                cached = fresh
                logger.debug(
                    "aws credentials refreshed",
                    metadata: [
                        "aws.access_key_id": "\(fresh.credentials.accessKeyID)",
                        "aws.expiration": "\(fresh.expiration.map { "\($0)" } ?? "never")",
                    ]
                )
            }
            return fresh.credentials
        } catch {
            if refresh == task {
                refresh = nil
            }
            if let cached, let expiration = cached.expiration, now() < expiration {
                logger.warning("aws credentials refresh failed; using the current ones until they expire", metadata: ["error": "\(error)"])
                return cached.credentials
            }
            throw error
        }
    }

    /// Whether `credentials` expire within the refresh window of `time`.
    private func needsRefresh(_ credentials: ExpiringCredentials, at time: Date) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        let window = Double(refreshWindow.components.seconds) + Double(refreshWindow.components.attoseconds) / 1e18
        return time >= expiration.addingTimeInterval(-window)
    }

    /// A provider over the standard chain (environment, shared credentials file, container
    /// endpoint, EC2 instance metadata).
    public static func standard(
        environment: [String: String],
        homeDirectory: String? = nil,
        transport: any HTTPTransport,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "gamefleet.aws.credentials")
    ) -> CachedCredentialProvider {
        CachedCredentialProvider(
            source: CredentialChain.standard(environment: environment, homeDirectory: homeDirectory, transport: transport),
            now: now,
            logger: logger
        )
    }
}
