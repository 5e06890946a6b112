import FleetCore

/// Where an ECS task is in its life, in the fleet's terms.
///
/// | ECS (lastStatus / desiredStatus)                         | gamefleet      |
/// |-----------------------------------------------------------|----------------|
/// | `STOPPED` (any desired status)                            | gone: not reported |
/// | desired `STOPPED`, whatever the last status               | `stopping`     |
/// | `DEACTIVATING`, `STOPPING`, `DEPROVISIONING`              | `stopping`     |
/// | `RUNNING` with desired `RUNNING`                          | `running`      |
/// | `PROVISIONING`, `PENDING`, `ACTIVATING`, none or unknown  | `pending`      |
///
/// A task whose containers have stopped is reported as gone rather than `stopping`: nothing of it
/// runs, and keeping it would carry a dead server in the health book and on status pages for as
/// long as ECS lists it (moto lists stopped tasks forever). A task ECS has been told to stop is
/// `stopping` even while its last status is still `RUNNING`, so the planner neither counts it nor
/// acts on it again. An unknown status reads as `pending`: the server is counted as starting and
/// the planner's `startupGrace` decides if it never comes up.
public enum TaskLifecycle {
    /// The lifecycle of a task with these statuses, or nil when the task is gone.
    public static func of(lastStatus: String?, desiredStatus: String?) -> Lifecycle? {
        let last = lastStatus?.uppercased()
        if last == "STOPPED" { return nil }
        if desiredStatus?.uppercased() == "STOPPED" { return .stopping }
        switch last {
        case "DEACTIVATING", "STOPPING", "DEPROVISIONING": return .stopping
        case "RUNNING": return .running
        default: return .pending
        }
    }
}
