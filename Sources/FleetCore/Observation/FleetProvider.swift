/// Where gameservers run: observes the fleet's servers and carries out plans.
///
/// Implementations: FleetRuntime's `LocalProvider` (child processes) and FleetECS's `ECSProvider`.
/// Tests use an in-memory fake. A provider reports what exists; health is the prober's business, so
/// the servers it returns carry an empty ``HealthRecord`` that the reconciler fills in.
public protocol FleetProvider: Sendable {
    /// Every server of this fleet that exists, in any lifecycle.
    /// Throws when the provider cannot be asked (the pass is then skipped, not half-done).
    func servers(spec: FleetSpec) async throws -> [ObservedServer]

    /// Carries out a plan's actions. Each action gets its own outcome: a failed one never stops
    /// the others, and it is simply planned again on a later pass.
    func apply(_ actions: [Action], spec: FleetSpec) async -> [ActionOutcome]

    /// Launches this provider made that its listing does not show yet, as of the last
    /// ``servers(spec:)`` (see ``ExpectedLaunch``). Put into the observed state so the planner
    /// counts them as starting servers. Providers whose listing shows a launch at once (local
    /// processes) need not implement it: the default is none.
    func expectedLaunches(spec: FleetSpec) async -> [ExpectedLaunch]

    /// The fleet's servers this provider saw stop, newest first, with why (as of the last
    /// ``servers(spec:)``); a few only (the ECS provider keeps 20). Shown in `/v1/fleet`, never
    /// planned on. Providers that know no more than "it is gone" need not implement it: the
    /// default is none.
    func recentlyStopped(spec: FleetSpec) async -> [StoppedServer]

    /// Stops everything the provider started on this machine that must not outlive gamefleet
    /// (local processes); a no-op for remote providers, whose servers keep running.
    func shutdown() async
}

extension FleetProvider {
    /// None: the listing shows every launch at once.
    public func expectedLaunches(spec: FleetSpec) async -> [ExpectedLaunch] { [] }

    /// None: the provider keeps no account of stopped servers.
    public func recentlyStopped(spec: FleetSpec) async -> [StoppedServer] { [] }
}

/// What became of one action.
public struct ActionOutcome: Sendable, Equatable, Codable {
    public var action: Action
    /// Nil when the action succeeded; otherwise what went wrong, in words naming the operation.
    public var error: String?
    /// The server a launch created, when it succeeded.
    public var launched: String?
    /// The provider's own code for why the action failed, when it gave one: for a launch ECS
    /// refused, RunTask's failure `reason` (`RESOURCE:MEMORY`, `RESOURCE:CPU`, `AGENT`,
    /// `ATTRIBUTE`, …). Nil for a success, and for failures without a code (a call that failed as
    /// a whole: ``error`` names the operation and AWS error).
    public var failureCode: String?
    /// How long the provider held the action back to keep under the API's documented rate
    /// (client-side pacing, e.g. ECS's RunTask bucket), in seconds; nil when it went at once.
    public var pacedSeconds: Double?
    /// Which rate held it longest, for people, e.g. `RunTask/StopTask rate (ECS cluster resource
    /// modify) burst 100, 40/s`; nil when it was not held.
    public var pacedBy: String?

    public init(action: Action, error: String? = nil, launched: String? = nil, failureCode: String? = nil) {
        self.action = action
        self.error = error
        self.launched = launched
        self.failureCode = failureCode
    }

    /// "paced 3.2 s by …", for logs and `gamefleet apply`; nil when the action was not held.
    public var pacingNote: String? {
        guard let seconds = pacedSeconds, seconds > 0 else { return nil }
        return "paced \(String(format: "%.1f", seconds)) s by \(pacedBy ?? "the API's rate")"
    }

    public var succeeded: Bool { error == nil }
}
