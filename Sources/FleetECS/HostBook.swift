import Foundation

/// What the provider knows of the fleet's own EC2 hosts when each gameserver gets its own
/// instance (a launch template is set). Rebuilt from ECS and EC2 after a restart, except for
/// hosts that never registered with the cluster (see `ECSProvider+Hosts.swift`).
struct HostBook: Sendable {
    /// Hosts launched whose gameserver task is not placed yet: instance id → launch time.
    var pending: [String: Date] = [:]
    /// Hosts known to be the fleet's (by their `gamefleet:fleet` tag): instance id → launch time.
    var fleetInstances: [String: Date] = [:]
    /// Instances known not to be the fleet's (other tags, or terminated).
    var foreign: Set<String> = []
    /// Task ARN → the fleet host it runs on.
    var instanceOfTask: [String: String] = [:]
    /// Hosts this process has seen running a gameserver: once that is gone, the host goes too.
    var served: Set<String> = []
    /// Placement attempts that ECS answered without a task, per host; part of the next token.
    var placementAttempts: [String: Int] = [:]

    /// When the host of task `arn` was launched, if the task runs on a fleet host: a gameserver's
    /// startup grace counts from its host's launch, since the host's boot is part of its start.
    func launchTime(ofTask arn: String) -> Date? {
        instanceOfTask[arn].flatMap { fleetInstances[$0] }
    }

    /// Drops a host that was terminated.
    mutating func forget(_ id: String) {
        pending[id] = nil
        fleetInstances[id] = nil
        served.remove(id)
        placementAttempts[id] = nil
        foreign.insert(id)
        instanceOfTask = instanceOfTask.filter { $0.value != id }
    }
}
