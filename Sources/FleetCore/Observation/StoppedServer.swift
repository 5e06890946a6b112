import Foundation

/// A server of the fleet that stopped, with the provider's account of why: "why did my server go".
/// Reported by ``FleetProvider/recentlyStopped(spec:)`` and shown in `/v1/fleet` as
/// `recentlyStopped`. It is information for people only: the planner never reads it.
public struct StoppedServer: Sendable, Equatable, Codable {
    /// The server's id (an ECS task ARN).
    public var id: String
    /// The short id people see in the console (the ARN's last part).
    public var taskID: String
    /// The provider's code for the stop, e.g. ECS's `SpotInterruption`, `EssentialContainerExited`,
    /// `UserInitiated`, `TaskFailedToStart`; nil when the provider gave none.
    public var stopCode: String?
    /// The provider's words, e.g. the reason gamefleet gave StopTask, or "Essential container in
    /// task exited"; nil when the provider gave none.
    public var stoppedReason: String?
    /// When it stopped, by the provider's clock; nil when the provider gave no time.
    public var stoppedAt: Date?

    public init(id: String, taskID: String, stopCode: String?, stoppedReason: String?, stoppedAt: Date?) {
        self.id = id
        self.taskID = taskID
        self.stopCode = stopCode
        self.stoppedReason = stoppedReason
        self.stoppedAt = stoppedAt
    }
}
