import FleetCore
import Foundation

/// The old app's scaling rules, as a yardstick: what the fleet would have done before gamefleet.
///
/// Each pass takes at most one action, the first that applies of:
/// 1. a server that failed `failureThreshold` probes in a row, or never answered within
///    `startupGrace`, is stopped;
/// 2. free slots below `upscaleMargin` (or fewer active servers than `minServers`): the standby server
///    with most free slots is activated, or else one server is launched (within `maxServers`);
/// 3. a standby server that is ready to close is stopped;
/// 4. free slots above `downscaleMargin`: the emptiest active server is parked in standby.
///
/// Free slots are those reported by active servers that answered their last probe; the old app did not
/// count servers still starting, because its launch blocked until the server was up (the simulation
/// holds up the next pass accordingly). Pure, like ``FleetCore/Planner``.
public enum OldAppPlanner {
    /// Plans one pass of the old rules: an empty plan or one action.
    public static func plan(spec: FleetSpec, observed: ObservedState, now: Date) -> Plan {
        let health = spec.gameserver.health
        let scaling = spec.scaling
        let capacity = spec.gameserver.capacity
        let servers = observed.servers
        func free(_ i: Int) -> Int { min(max(servers[i].health.availableCapacity ?? 0, 0), capacity) }
        // Ties go to the lower id, as in the planner, so runs are reproducible.
        func emptier(_ a: Int, than b: Int) -> Bool {
            free(a) != free(b) ? free(a) > free(b) : servers[a].id < servers[b].id
        }

        // One look at every server, by index: this runs each pass over fleets of a thousand.
        var unhealthy: Int?
        var live = 0, active = 0, answering = 0, freeSlots = 0
        var bestStandby: Int?, drained: Int?, emptiestActive: Int?
        for i in servers.indices where servers[i].lifecycle != .stopping {
            let record = servers[i].health
            let failing = record.hasAnswered
                ? record.consecutiveFailures >= health.failureThreshold
                : now.timeIntervalSince(servers[i].launchedAt) > health.startupGrace.seconds
            if failing {
                if unhealthy == nil { unhealthy = i }
                continue
            }
            live += 1
            if !servers[i].standby { active += 1 }
            guard record.hasAnswered, record.consecutiveFailures == 0, servers[i].lifecycle == .running else { continue }
            answering += 1
            if servers[i].standby {
                if free(i) > 0, bestStandby.map({ emptier(i, than: $0) }) ?? true { bestStandby = i }
                if drained == nil, record.readyToClose == true, free(i) == capacity { drained = i }
            } else {
                freeSlots += free(i)
                if emptiestActive.map({ emptier(i, than: $0) }) ?? true { emptiestActive = i }
            }
        }
        let summary = Plan.Summary(
            freeSlots: freeSlots, upscaleMargin: scaling.upscaleMargin, downscaleMargin: scaling.downscaleMargin,
            servers: live + (unhealthy == nil ? 0 : 1), active: active, standby: live - active,
            starting: live - answering, unhealthy: unhealthy == nil ? 0 : 1, outdated: 0)
        func only(_ action: Action) -> Plan { Plan(actions: [action], summary: summary) }

        if let unhealthy {
            return only(.on(.stop, servers[unhealthy], code: .unhealthyFailedProbes, reason: "unhealthy"))
        }
        if freeSlots < scaling.upscaleMargin || active < scaling.minServers {
            let reason = "free slots \(freeSlots) < upscale margin \(scaling.upscaleMargin)"
            let code: ReasonCode = freeSlots < scaling.upscaleMargin ? .belowUpscaleMargin : .minServers
            if let bestStandby {
                return only(.on(.activate, servers[bestStandby], code: code, reason: reason))
            }
            if live < scaling.maxServers {
                return only(.launch(spec.taskDefinition, code: code, reason: reason))
            }
        }
        if let drained {
            return only(.on(.stop, servers[drained], code: .readyToClose, reason: "in standby and ready to close"))
        }
        if freeSlots > scaling.downscaleMargin, active > scaling.minServers, let emptiestActive {
            return only(.on(.standby, servers[emptiestActive], code: .aboveDownscaleMargin, reason: "free slots \(freeSlots) > downscale margin \(scaling.downscaleMargin)"))
        }
        return Plan(actions: [], summary: summary)
    }
}
