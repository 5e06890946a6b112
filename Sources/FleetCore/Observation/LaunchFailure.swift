import Foundation

/// A launch that failed, as `/v1/fleet`'s `launchFailures` shows it: "why does my fleet not grow".
/// Made from a failed launch's ``ActionOutcome``; information for people, never planned on (the
/// failed launch is simply planned again, after the launch kind's backoff).
public struct LaunchFailure: Sendable, Equatable, Codable {
    /// When the pass that tried the launch ended.
    public var at: Date
    /// The provider's code for the failure (ECS RunTask's `RESOURCE:MEMORY`, `AGENT`, …), or nil
    /// when the call failed as a whole (throttled, denied, unreachable): ``error`` says how.
    public var reason: String?
    /// The outcome's error in full, naming the operation.
    public var error: String
    /// The host the launch was to place a gameserver on (`ecs.launchTemplate`), nil for a new server.
    public var host: String?
    /// What the launch was to run.
    public var taskDefinition: String?

    public init(at: Date, reason: String?, error: String, host: String? = nil, taskDefinition: String? = nil) {
        self.at = at
        self.reason = reason
        self.error = error
        self.host = host
        self.taskDefinition = taskDefinition
    }

    /// The failure an outcome reports; nil for anything but a failed launch.
    public init?(_ outcome: ActionOutcome, at time: Date) {
        guard outcome.action.kind == .launch, let error = outcome.error else { return nil }
        self.init(at: time, reason: outcome.failureCode, error: error, host: outcome.action.server, taskDefinition: outcome.action.taskDefinition)
    }
}
