import FleetCore
import Foundation
import Prometheus

/// Where an allocation's answer came from (`gamefleet_allocations_total{source}`).
public enum AllocationSource: String, Sendable, CaseIterable {
    /// This replica's own books: a single replica, or the leader (also for followers' forwards).
    case own
    /// A follower's loan: a lent slot, or the full fleet's answer once none is left to use or ask for.
    case lent
    /// The leader's answer, relayed by a follower.
    case forwarded
}

/// The service's Prometheus metrics, on a registry of its own (no global bootstrap, so tests can make
/// as many as they like). `GET /metrics` prints ``render()``.
public final class FleetMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let freeSlots: Gauge
    let serversByState: [String: Gauge]
    let allocations: [String: Counter]
    let allocationDuration: DurationHistogram
    let passDuration: DurationHistogram
    let actions: [String: Counter]
    let probeFailures: Counter
    let reloads: [String: Counter]
    let passesFailed: Counter
    let lastPassTimestamp: Gauge
    let rateLimited: Counter
    /// Seconds actions waited for the provider's API rate, by kind.
    let actionsPaced: [Action.Kind: Counter]
    let leader: Gauge
    let leaseCalls: [String: Counter]
    let forwarded: [String: Counter]
    /// What the alert rules compare against, from the running config and the last pass.
    let maxServers: Gauge
    let fleetSize: Gauge
    let watchdogLimit: Gauge
    let configReloadFailed: Gauge
    let configDrift: Gauge

    public static let serverStates = ["active", "standby", "starting", "unhealthy", "outdated"]
    public static let allocationResults = ["server", "backup", "none"]
    /// `gamefleet_allocations_total` sources: from this replica's own books (a single replica, the
    /// leader), from slots the leader lent this follower (or, a follower out of them that cannot
    /// forward, answered as a full fleet), or the leader's answer relayed by this follower.
    public static let allocationSources = AllocationSource.allCases.map(\.rawValue)
    public static let reloadResults = ["applied", "refused"]
    /// `gamefleet_lease_renewals_total` results: a lease write that took (acquire, renew, take
    /// over), one refused because another replica holds the lease, a store call that failed.
    public static let leaseResults = ["success", "lost", "error"]
    /// `gamefleet_allocations_forwarded_total` results: answered by the leader, or answered from
    /// this follower's own view because the leader could not be reached.
    public static let forwardResults = ["forwarded", "fallback"]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "gamefleet", metricName: metric, unitName: unit, helpText: help)
        }
        freeSlots = registry.makeGauge(descriptor: name("free_slots", "", "Free player slots the planner counts (healthy active current servers, plus starting capacity)."))
        var states: [String: Gauge] = [:]
        let serversName = name("servers", "", "Servers by state, as the last pass saw them.")
        for state in Self.serverStates { states[state] = registry.makeGauge(descriptor: serversName, labels: [("state", state)]) }
        serversByState = states
        var allocs: [String: Counter] = [:]
        let allocName = name("allocations", "total", "Allocation requests by result (a gameserver, the backup, or none: 503) and source (own books, lent slots, forwarded to the leader).")
        for result in Self.allocationResults {
            for source in Self.allocationSources {
                allocs["\(result)/\(source)"] = registry.makeCounter(descriptor: allocName, labels: [("result", result), ("source", source)])
            }
        }
        allocations = allocs
        allocationDuration = registry.makeDurationHistogram(
            descriptor: name("allocation_duration", "seconds", "Time to pick a server for one allocation request."),
            buckets: [.microseconds(10), .microseconds(50), .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(25)])
        passDuration = registry.makeDurationHistogram(
            descriptor: name("pass_duration", "seconds", "Duration of one reconcile pass: observe, probe, plan, apply."),
            buckets: [.milliseconds(10), .milliseconds(50), .milliseconds(250), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30)])
        var acts: [String: Counter] = [:]
        let actionsName = name("actions", "total", "Plan actions carried out, by kind, reason code and result (applied or failed).")
        // Every combination up front (4 kinds × 10 reasons × 2 results), so a dashboard sees zeros
        // rather than missing series, and recording never allocates.
        for kind in Action.Kind.allCases {
            for reason in ReasonCode.allCases {
                for result in ["applied", "failed"] {
                    acts["\(kind.rawValue)/\(reason.rawValue)/\(result)"] = registry.makeCounter(
                        descriptor: actionsName, labels: [("kind", kind.rawValue), ("reason", reason.rawValue), ("result", result)])
                }
            }
        }
        actions = acts
        probeFailures = registry.makeCounter(descriptor: name("probe_failures", "total", "Health probes that failed (timeout, error, answer off the contract)."))
        var rel: [String: Counter] = [:]
        let reloadName = name("config_reloads", "total", "fleet.yaml reloads by result.")
        for result in Self.reloadResults { rel[result] = registry.makeCounter(descriptor: reloadName, labels: [("result", result)]) }
        reloads = rel
        passesFailed = registry.makeCounter(descriptor: name("passes_failed", "total", "Passes skipped because the provider could not be observed."))
        lastPassTimestamp = registry.makeGauge(descriptor: name("last_pass_timestamp", "seconds", "When the reconcile loop last ended a pass (observed or not), in seconds since 1970; alert when it stops moving."))
        let pacedName = name("actions_paced", "seconds_total", "Seconds plan actions waited before their API call to keep under the provider's documented rate (ECS throttling buckets), by kind.")
        var paced: [Action.Kind: Counter] = [:]
        for kind in Action.Kind.allCases { paced[kind] = registry.makeCounter(descriptor: pacedName, labels: [("kind", kind.rawValue)]) }
        actionsPaced = paced
        leader = registry.makeGauge(descriptor: name("leader", "", "1 while this replica leads (holds the lease within its fence) or is the only one; 0 as a follower."))
        var lease: [String: Counter] = [:]
        let leaseName = name("lease_renewals", "total", "Lease writes and store calls by result: success (acquired, renewed, taken over), lost (another replica holds it), error (the store failed).")
        for result in Self.leaseResults { lease[result] = registry.makeCounter(descriptor: leaseName, labels: [("result", result)]) }
        leaseCalls = lease
        var fwd: [String: Counter] = [:]
        let fwdName = name("allocations_forwarded", "total", "Allocation requests a follower forwarded to the leader, or answered itself because the leader could not be reached (fallback).")
        for result in Self.forwardResults { fwd[result] = registry.makeCounter(descriptor: fwdName, labels: [("result", result)]) }
        forwarded = fwd
        leader.set(Double(1))
        maxServers = registry.makeGauge(descriptor: name("max_servers", "", "scaling.maxServers of the running config: the most servers the planner keeps."))
        fleetSize = registry.makeGauge(descriptor: name("fleet_size", "", "Servers that exist and are not stopping (every state, launches on their way included), as the last pass counted them against scaling.maxServers."))
        watchdogLimit = registry.makeGauge(descriptor: name("watchdog_limit", "seconds", "The longest the loop may go without ending a pass before /readyz answers stalled: 3 × interval + timeout of the running config."))
        configDrift = registry.makeGauge(descriptor: name("config_drift", "", "With ha: 1 while another replica heard from lately runs a different fleet.yaml than this one (the leader's config is the one that acts), else 0."))
        configDrift.set(Double(0))
        configReloadFailed = registry.makeGauge(descriptor: name("config_reload_failed", "", "1 while the last reload of fleet.yaml was refused (the service runs an older config than the file's), else 0."))
        rateLimited = registry.makeCounter(descriptor: name("allocations_rate_limited", "total", "Allocation requests answered 429 because their client was over allocation.rateLimit (no slot reserved)."))
    }

    /// Counts one lease write or failed store call (see ``leaseResults``).
    public func recordLease(_ result: String) {
        leaseCalls[result]?.increment()
    }

    /// Sets `gamefleet_leader`.
    public func recordLeader(_ leads: Bool) {
        leader.set(Double(leads ? 1 : 0))
    }

    /// Counts one allocation a follower forwarded or answered itself (see ``forwardResults``).
    public func recordForwarded(_ result: String) {
        forwarded[result]?.increment()
    }

    /// Counts one allocation request refused by the per-client rate limit.
    public func recordRateLimited() {
        rateLimited.increment()
    }

    /// Counts one allocation answered, by result and source; `duration` (the choice's own time)
    /// when it was made here.
    public func recordAllocation(_ allocation: Allocation, source: AllocationSource, duration: Duration? = nil) {
        let result: String
        switch allocation {
        case .server: result = "server"
        case .backup: result = "backup"
        case .none: result = "none"
        }
        allocations["\(result)/\(source.rawValue)"]?.increment()
        if let duration { allocationDuration.record(duration) }
    }

    func recordPass(plan: Plan, outcomes: [ActionOutcome], probeFailures failures: Int, duration: Duration) {
        let s = plan.summary
        freeSlots.set(Double(s.freeSlots))
        fleetSize.set(Double(s.servers))
        serversByState["active"]?.set(Double(s.active - s.starting))
        serversByState["starting"]?.set(Double(s.starting))
        serversByState["standby"]?.set(Double(s.standby))
        serversByState["unhealthy"]?.set(Double(s.unhealthy))
        serversByState["outdated"]?.set(Double(s.outdated))
        for outcome in outcomes {
            actions["\(outcome.action.kind.rawValue)/\(outcome.action.reasonCode.rawValue)/\(outcome.succeeded ? "applied" : "failed")"]?.increment()
            if let paced = outcome.pacedSeconds, paced > 0 { actionsPaced[outcome.action.kind]?.increment(by: paced) }
        }
        if failures > 0 { probeFailures.increment(by: Int64(failures)) }
        passDuration.record(duration)
    }

    func recordReload(applied: Bool) {
        reloads[applied ? "applied" : "refused"]?.increment()
    }

    /// Sets the gauges that follow the running config: `gamefleet_max_servers` and
    /// `gamefleet_watchdog_limit_seconds`.
    func recordConfig(_ spec: FleetSpec) {
        maxServers.set(Double(spec.scaling.maxServers))
        watchdogLimit.set(Watchdog.limit(for: spec.gameserver.health).seconds)
    }

    /// Sets `gamefleet_config_drift`.
    public func recordConfigDrift(_ drift: Bool) {
        configDrift.set(Double(drift ? 1 : 0))
    }

    /// Sets `gamefleet_config_reload_failed` from the config's status.
    func recordReloadFailing(_ failing: Bool) {
        configReloadFailed.set(Double(failing ? 1 : 0))
    }

    func recordPassEnd(at time: Date) {
        lastPassTimestamp.set(time.timeIntervalSince1970)
    }

    func recordFailedPass() {
        passesFailed.increment()
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> String {
        registry.emitToString()
    }
}
