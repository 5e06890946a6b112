import Foundation

/// A server this gamefleet process asked the provider to launch and that the provider's listing
/// does not show yet (ECS lists new tasks seconds after RunTask answers: it is eventually
/// consistent). The planner counts a confirmed one as a server still starting, so a listing that
/// lags behind a launch never makes the next pass launch the same server again.
///
/// Kept by ``LaunchExpectations`` until the listing shows the server, the provider finds it gone,
/// or `startupGrace` has passed since ``launchedAt``; the planner ignores one older than that too.
public struct ExpectedLaunch: Sendable, Equatable, Codable {
    /// The launch's idempotency token (the RunTask `clientToken`), shared by the servers of one
    /// batch. A launch whose answer was lost is retried with the same token.
    public var token: String
    /// The server the provider answered with (an ECS task ARN). Nil when the answer was lost: the
    /// launch may or may not have happened, so it is not counted, and the next launch reuses
    /// ``token`` so the provider either starts it or hands back what the first call started.
    public var server: String?
    /// What was launched, as the spec names it (compared with ``FleetSpec/taskDefinition``).
    public var taskDefinition: String
    /// When the launch was asked.
    public var launchedAt: Date

    public init(token: String, server: String?, taskDefinition: String, launchedAt: Date) {
        self.token = token
        self.server = server
        self.taskDefinition = taskDefinition
        self.launchedAt = launchedAt
    }

    /// True when the provider answered with the server, so it surely exists (or existed).
    public var isConfirmed: Bool { server != nil }
}
