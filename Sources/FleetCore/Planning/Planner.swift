// Planning/: the pure planner (observed state + spec + now → Plan), the plan as data and its
// JSON, and the id order every tie-break uses.

import Foundation

/// Decides what the fleet should do next. A pure function of the spec, the observed state and `now`:
/// it reads no clock, calls no provider and keeps no memory between passes, so each pass decides
/// afresh from what it sees (level-triggered).
///
/// The rules, in the order they are applied:
/// 1. A server that failed `failureThreshold` probes in a row, or never answered within
///    `startupGrace`, is unhealthy: it is stopped and its slots do not count. Grace counts from the
///    later of launch and first sight (see ``HealthVerdict``); a server found running that has not
///    answered yet, or whose address could not be looked up, is unknown: kept, no free slots.
///    Host repair (`ecs.launchTemplate`): a host whose gameserver ended is stopped, and one that
///    waits for its gameserver gets a launch naming it.
/// 2. Free slots below `upscaleMargin`, or fewer active current servers than `minServers`: standby
///    servers running the current task definition are activated, most free slots first; then new
///    servers are launched to reach the margin, within `maxServers` and `maxLaunchesPerPass`.
///    Launches the provider does not list yet (``ObservedState/expected``) count as servers
///    still starting, so a lagging listing never makes a pass launch the same server again.
/// 3. A standby server that reports `ready_to_close` (and no players) is stopped.
/// 4. Free slots on servers that are up above `downscaleMargin`: the emptiest active servers are
///    parked in standby while the free slots stay above it, never below `minServers` active servers.
///    Slots still starting do not count here, so a pass never parks capacity that is not there yet.
/// 5. A server that may have players is never stopped unless it is unhealthy.
/// 6. Servers running another task definition are outdated: they are parked once current servers
///    have `upscaleMargin` free slots of their own (or one at a time when `maxServers` blocks
///    replacements), then stopped by rule 3 when empty.
/// 7. More servers than `maxServers` (after the limit was lowered): the emptiest are parked.
///
/// Under `scaling.policy: demand`, or with a `scaling.schedule`, ``DemandSizing`` first raises the
/// margins and `minServers` these rules apply (never lowers them); the rules themselves are the same.
public enum Planner {
    /// Plans one pass. `now` is the wall-clock time the observation is judged against.
    public static func plan(spec: FleetSpec, observed: ObservedState, now: Date) -> Plan {
        var sizing: FleetSizing?
        var sized = spec
        if spec.scaling.policy == .demand || !spec.scaling.schedule.isEmpty {
            let s = DemandSizing.sizing(spec: spec, observed: observed, now: now)
            sized.scaling.upscaleMargin = s.upscaleAt
            sized.scaling.downscaleMargin = s.downscaleAt
            sized.scaling.minServers = s.minServers
            sizing = s
        }
        var pass = Pass(spec: sized, now: now, observed: observed.servers)
        pass.sizing = sizing
        pass.rankIDs()
        // The set of listed ids costs a hash of every id: only built when a launch is expected.
        pass.countExpected(observed.expected, listed: observed.expected.isEmpty ? [] : Set(observed.servers.map(\.id)))
        pass.stopUnhealthy()
        pass.repairHosts()
        pass.scaleUp()
        pass.stopDrainedStandby()
        pass.scaleDown()
        pass.retireOutdated()
        pass.enforceMaxServers()
        var plan = pass.finish()
        plan.summary.demand = observed.demand
        plan.summary.startup = observed.startup
        plan.summary.trend = observed.trend
        plan.summary.sizing = sizing
        // The summary's margins are fleet.yaml's; the sizing says what was applied.
        plan.summary.upscaleMargin = spec.scaling.upscaleMargin
        plan.summary.downscaleMargin = spec.scaling.downscaleMargin
        return plan
    }
}

/// The working state of one planning pass. Kept private to the planner: the outside sees only `Plan`.
private struct Pass {
    let spec: FleetSpec
    let now: Date
    let capacity: Int
    let current: String

    /// Servers that exist and are not stopping, with what the pass learned of each.
    var servers: [Entry]
    /// The plan's actions as the rules decided them, and each one's ``PlanPhase``: the plan's order
    /// is the phase, then that order, whichever rule ran first (``finish()``). One array filled in
    /// order: a plan far off its margins holds about as many actions as servers, and it is handed
    /// over without a copy when the rules already ran in phase order (the usual case).
    var actions: [Action] = []
    var phases: [UInt8] = []
    /// Launches in this plan.
    var launched = 0
    var limits: [String] = []
    var requeueSoon = false
    /// What ``DemandSizing`` raised the margins to (already in `spec`); nil when nothing was.
    var sizing: FleetSizing?

    /// Free slots of active current servers (ready ones' reported free, starting ones' full
    /// capacity), from the census, then moved by each rule's actions.
    var freeSlots: Int
    /// The same, counting only servers that are up and answering.
    var readyFreeSlots: Int
    /// Active (not standby) current servers, healthy or starting.
    var activeCurrent: Int
    /// Launches expected but not listed yet, counted as servers still starting.
    var expected = 0
    /// The census before any action (the plan's summary), with expected launches counted in.
    var summary: Plan.Summary

    /// The observation's servers; entries point into it rather than copying each one.
    let observed: [ObservedServer]

    struct Entry {
        /// Position of the server in ``Pass/observed``.
        let at: Int
        let current: Bool
        let unhealthy: String?
        /// Why it is unhealthy, as a code (set with `unhealthy`).
        var unhealthyCode: ReasonCode = .unhealthyFailedProbes
        let starting: Bool
        /// Reported free slots, clamped to 0...capacity.
        let free: Int
        /// True when a good probe said players are on it, or the server has not said it is empty.
        let mayHavePlayers: Bool
        var standby: Bool
        /// Not answered and not judged (found running, or address unknown): kept, no free slots.
        var unknown = false
        /// Why it is unknown (``HealthVerdict/unknown(_:)``), for the state shown.
        var unknownWhy: String?
        var stopped = false

        var ready: Bool { unhealthy == nil && !starting && !unknown }
    }

    /// A pass over `observed`, its census taken (``Census/take(_:spec:now:)``).
    init(spec: FleetSpec, now: Date, observed: [ObservedServer]) {
        self.spec = spec
        self.now = now
        self.capacity = spec.gameserver.capacity
        self.current = spec.taskDefinition
        self.observed = observed
        let census = Census.take(observed, spec: spec, now: now)
        servers = census.entries
        states = census.states
        freeSlots = census.freeSlots
        readyFreeSlots = census.readyFreeSlots
        activeCurrent = census.activeCurrent
        summary = census.summary
    }

    /// Adds `action` to its phase of the plan.
    mutating func add(_ action: Action) {
        phases.append(UInt8(PlanPhase.of(action).rawValue))
        actions.append(action)
    }

    /// The server behind entry `i`.
    func server(_ i: Int) -> ObservedServer { observed[servers[i].at] }

    /// An action on entry `i`'s server. Reads the three fields it needs in place: copying the whole
    /// observed server retains every string it holds, a cost a plan that parks thousands notices.
    func act(_ kind: Action.Kind, _ i: Int, code: ReasonCode, reason: String) -> Action {
        let at = servers[i].at
        return Action(kind: kind, server: observed[at].id, address: observed[at].address,
                      taskDefinition: observed[at].taskDefinition, code: code, reason: reason)
    }

    /// The entries that pass `include`, in the order every rule walks candidates in: most free slots
    /// (the emptiest) first, ties by id so plans are deterministic. Each candidate is one integer
    /// key (free slots, then id rank), so the sort compares integers, neither entries nor ARNs.
    func mostFreeFirst(where include: (Entry) -> Bool) -> [Int] {
        var keys: [UInt64] = []
        for i in servers.indices where include(servers[i]) {
            // free ≤ capacity ≤ 100,000 < 2^32 and ranks < 2^31, so the key is exact.
            keys.append(UInt64(capacity - servers[i].free) << 32 | UInt64(idRank[i]))
        }
        keys.sort()
        return keys.map { Int(byRank[Int($0 & 0xFFFF_FFFF)]) }
    }

    /// Each observed server's state, in observation order (``Plan/servers``).
    var states: [Plan.ServerState]

    /// Each server's place in id order (``IDOrder``), computed once per pass so that the sorts above
    /// compare integers, not ARNs: the difference between O(n log n) string comparisons and one.
    var idRank: [Int32] = []
    /// The inverse: the entry at each rank.
    var byRank: [Int32] = []

    mutating func rankIDs() {
        let order = IDOrder.sortedPositions(servers.map { observed[$0.at].id })
        idRank = Array(repeating: 0, count: order.count)
        byRank = Array(repeating: 0, count: order.count)
        for (rank, position) in order.enumerated() {
            idRank[position] = Int32(rank)
            byRank[rank] = Int32(position)
        }
    }

    /// What the pass starts from, taken once: each server's entry and state, and the figures of the
    /// plan's summary. A value, so no rule can read a half-taken census.
    struct Census {
        let entries: [Entry]
        let states: [Plan.ServerState]
        let freeSlots: Int
        let readyFreeSlots: Int
        let activeCurrent: Int
        let summary: Plan.Summary

        static func take(_ observed: [ObservedServer], spec: FleetSpec, now: Date) -> Census {
            let health = spec.gameserver.health
            let capacity = spec.gameserver.capacity
            let current = spec.taskDefinition
            var entries: [Entry] = [], states: [Plan.ServerState] = []
            entries.reserveCapacity(observed.count)
            states.reserveCapacity(observed.count)
            var freeSlots = 0, readyFreeSlots = 0, activeCurrent = 0
            var unhealthyCount = 0, startingCount = 0, unknownCount = 0, standbyCount = 0, outdatedCount = 0, activeCount = 0
            for at in observed.indices {
                let server = observed[at]
                guard server.lifecycle != .stopping && server.host != .gameserverEnded else {
                    states.append(Plan.ServerState(id: server.id, state: .stopping))
                    continue
                }
                let record = server.health
                let answered = record.hasAnswered
                var unhealthy: String?
                var unhealthyCode = ReasonCode.unhealthyFailedProbes
                var unknown = false
                var unknownWhy: String?
                if server.host == .unregistered {
                    (unhealthy, unhealthyCode) = Pass.judgeUnregistered(server, health: health, now: now)
                } else {
                    switch HealthVerdict.judge(server, health: health, now: now) {
                    case .unhealthy(let code, let why): unhealthy = why; unhealthyCode = code
                    case .unknown(let why): unknown = true; unknownWhy = why
                    case .answered, .starting: break
                    }
                }
                let starting = unhealthy == nil && !unknown && (server.lifecycle == .pending || !answered)
                let free = min(max(record.availableCapacity ?? 0, 0), capacity)
                let mayHavePlayers = answered && (record.readyToClose != true || free < capacity)
                let isCurrent = server.taskDefinition == current
                var entry = Entry(
                    at: at, current: isCurrent, unhealthy: unhealthy, starting: starting, free: free,
                    mayHavePlayers: mayHavePlayers, standby: server.standby, unknown: unknown)
                entry.unhealthyCode = unhealthyCode
                entry.unknownWhy = unknownWhy
                entries.append(entry)
                states.append(Pass.state(of: entry, id: server.id, taskDefinition: server.taskDefinition, current: current))

                if unhealthy != nil { unhealthyCount += 1; continue }
                if !isCurrent { outdatedCount += 1 }
                if entry.standby { standbyCount += 1; continue }
                activeCount += 1
                if starting { startingCount += 1 }
                if unknown { unknownCount += 1 }
                guard isCurrent else { continue }
                activeCurrent += 1
                if unknown {
                    // Unknown slots are not counted free: players could not be sent there.
                } else if starting {
                    freeSlots += capacity
                } else {
                    freeSlots += free
                    readyFreeSlots += free
                }
            }
            let summary = Plan.Summary(
                freeSlots: freeSlots, upscaleMargin: spec.scaling.upscaleMargin,
                downscaleMargin: spec.scaling.downscaleMargin, servers: entries.count, active: activeCount,
                standby: standbyCount, starting: startingCount, unhealthy: unhealthyCount, outdated: outdatedCount,
                unknown: unknownCount)
            return Census(entries: entries, states: states, freeSlots: freeSlots, readyFreeSlots: readyFreeSlots,
                          activeCurrent: activeCurrent, summary: summary)
        }
    }

    /// The one state a server is shown in, from the same judgement the counts above are made of:
    /// unhealthy first (rule 1 stops it whatever else holds), then outdated (rule 6 replaces it),
    /// standby, unknown, starting, active.
    static func state(of entry: Entry, id: String, taskDefinition: String, current: String) -> Plan.ServerState {
        if let why = entry.unhealthy { return Plan.ServerState(id: id, state: .unhealthy, reason: why) }
        if !entry.current { return Plan.ServerState(id: id, state: .outdated, reason: "runs \(taskDefinition), not \(current)") }
        if entry.standby { return Plan.ServerState(id: id, state: .standby) }
        if entry.unknown { return Plan.ServerState(id: id, state: .unknown, reason: entry.unknownWhy) }
        if entry.starting { return Plan.ServerState(id: id, state: .starting) }
        return Plan.ServerState(id: id, state: .active)
    }

    /// Rule 1 for a fleet host not registered with the cluster: starting until `startupGrace`
    /// after EC2's launch time, then stopped. Not this process's first sight: an unregistered host
    /// holds no players, so a restarted gamefleet need not give it a grace of its own.
    static func judgeUnregistered(_ server: ObservedServer, health: HealthSpec, now: Date) -> (String?, ReasonCode) {
        let age = now.timeIntervalSince(server.launchedAt)
        guard age > health.startupGrace.seconds else { return (nil, .hostNeverRegistered) }
        return ("host did not register with the cluster within startupGrace \(DurationText.format(health.startupGrace)) (launched \(DurationText.wholeSeconds(age)) ago)", .hostNeverRegistered)
    }

    /// Rule 2's starting capacity also holds launches this process made that the provider does not
    /// list yet (``ExpectedLaunch``): each confirmed one, not listed and within `startupGrace` of its
    /// launch, counts as a server still starting (all slots free) toward the margins, `minServers`
    /// and `maxServers`, and in the summary's servers, active and starting figures.
    mutating func countExpected(_ launches: [ExpectedLaunch], listed: Set<String>) {
        let grace = spec.gameserver.health.startupGrace.seconds
        for launch in launches {
            guard let id = launch.server, !listed.contains(id), now.timeIntervalSince(launch.launchedAt) <= grace else { continue }
            expected += 1
            summary.servers += 1
            summary.active += 1
            summary.starting += 1
            if launch.taskDefinition == current {
                activeCurrent += 1
                freeSlots += capacity
                summary.freeSlots = freeSlots
            } else {
                summary.outdated += 1
            }
        }
    }

    /// Rule 1.
    mutating func stopUnhealthy() {
        for i in servers.indices {
            guard let why = servers[i].unhealthy else { continue }
            servers[i].stopped = true
            add(act(.stop, i, code: servers[i].unhealthyCode, reason: "unhealthy: " + why))
        }
    }

    /// Host repair (`ecs.launchTemplate`): a fleet host whose gameserver ended is stopped; one
    /// registered without a gameserver gets one placed on it, unless rule 1 stops it.
    mutating func repairHosts() {
        // Walked by index: copying every entry (a server and its strings) costs more than the rule.
        for i in observed.indices where observed[i].host == .gameserverEnded {
            add(.on(.stop, observed[i], code: .hostGameserverEnded, reason: "host whose gameserver ended; it goes with it"))
        }
        // Gameservers placed on fleet hosts that wait for one: not new servers.
        for i in servers.indices where server(i).host == .awaitingGameserver && !servers[i].stopped {
            add(Action(
                kind: .launch, server: server(i).id, taskDefinition: current, code: .hostWithoutGameserver,
                reason: "fleet host registered without a gameserver: place one on it"))
        }
    }

    /// Servers that will still exist once this plan's stops are done, plus its launches.
    var existingAfterPlan: Int {
        servers.reduce(0) { $0 + ($1.stopped ? 0 : 1) } + expected + launched
    }

    /// Rule 2.
    mutating func scaleUp() {
        let scaling = spec.scaling
        guard freeSlots < scaling.upscaleMargin || activeCurrent < scaling.minServers else { return }

        // Standby servers come back first: they are up already and cost nothing to reuse. A full one
        // would add no room, so a launch is better.
        let candidates = mostFreeFirst { $0.standby && $0.ready && $0.current && $0.free > 0 }
        // Above maxServers (the limit was lowered) some servers must stay parked until they drain.
        let parked = servers.reduce(0) { $0 + ($1.standby && !$1.stopped ? 1 : 0) }
        var activatable = max(0, parked - max(0, existingAfterPlan - scaling.maxServers))
        for i in candidates {
            guard freeSlots < scaling.upscaleMargin || activeCurrent < scaling.minServers else { break }
            guard activatable > 0 else { break }
            activatable -= 1
            let reason = upscaleReason()
            servers[i].standby = false
            freeSlots += servers[i].free
            readyFreeSlots += servers[i].free
            activeCurrent += 1
            add(act(.activate, i, code: reason.code, reason: reason.text))
        }

        let byMargin = freeSlots < scaling.upscaleMargin
            ? (scaling.upscaleMargin - freeSlots + capacity - 1) / capacity : 0
        let byMinimum = max(0, scaling.minServers - activeCurrent)
        let needed = max(byMargin, byMinimum)
        guard needed > 0 else { return }
        let room = max(0, scaling.maxServers - existingAfterPlan)
        let allowed = min(needed, room, scaling.maxLaunchesPerPass)
        for _ in 0..<allowed {
            let reason = upscaleReason()
            add(.launch(current, code: reason.code, reason: reason.text))
            launched += 1
            freeSlots += capacity
            activeCurrent += 1
        }
        if allowed < needed {
            if room < needed {
                limits.append("needs \(needed) more server(s) but maxServers \(scaling.maxServers) leaves room for \(room)")
            }
            if scaling.maxLaunchesPerPass < min(needed, room) {
                limits.append("held back: \(min(needed, room) - allowed) launch(es) by maxLaunchesPerPass \(scaling.maxLaunchesPerPass) (needs \(min(needed, room)), \(allowed) in this pass; the rest follow in the next)")
                requeueSoon = true
            }
        }
    }

    func upscaleReason() -> (code: ReasonCode, text: String) {
        let scaling = spec.scaling
        if freeSlots < scaling.upscaleMargin {
            switch sizing?.upscaleSource {
            case .demandForecast?:
                if let forecast = sizing?.forecast {
                    return (.demandForecast, "free slots \(freeSlots) < \(scaling.upscaleMargin); " + DemandSizing.describe(forecast))
                }
            case .scheduledWindow?:
                return (.scheduledWindow, "free slots \(freeSlots) < \(scaling.upscaleMargin) wanted by schedule \(sizing?.scheduled.joined(separator: ", ") ?? "")")
            default: break
            }
            return (.belowUpscaleMargin, "free slots \(freeSlots) < upscale margin \(scaling.upscaleMargin)")
        }
        if sizing?.minServersSource == .scheduledWindow {
            return (.scheduledWindow, "active servers \(activeCurrent) < \(scaling.minServers) wanted by schedule \(sizing?.scheduled.joined(separator: ", ") ?? "")")
        }
        return (.minServers, "active servers \(activeCurrent) < minServers \(scaling.minServers)")
    }

    /// Rule 3 (with rule 5: only servers that said they are empty).
    mutating func stopDrainedStandby() {
        for i in servers.indices where servers[i].standby && !servers[i].stopped && servers[i].ready {
            guard !servers[i].mayHavePlayers, server(i).health.consecutiveFailures == 0 else { continue }
            servers[i].stopped = true
            add(act(.stop, i, code: .readyToClose, reason: "in standby and ready to close"))
        }
    }

    /// Rule 4.
    mutating func scaleDown() {
        let scaling = spec.scaling
        // Only capacity that is up counts here: parking a server for slots still starting would
        // leave players nowhere to go if the start fails or takes long.
        guard readyFreeSlots > scaling.downscaleMargin, activeCurrent > scaling.minServers else { return }
        let candidates = mostFreeFirst { !$0.standby && !$0.stopped && $0.ready && $0.current }
        for i in candidates {
            let free = servers[i].free
            guard readyFreeSlots > scaling.downscaleMargin, activeCurrent > scaling.minServers else { break }
            // The loader's gap rule makes this hold; the check keeps the planner safe on its own.
            guard readyFreeSlots - free >= scaling.upscaleMargin else { break }
            let reason = sizing == nil
                ? ReasonText.make("free slots ", readyFreeSlots, " > downscale margin ", scaling.downscaleMargin,
                                  "; emptiest active server (", free, " free)")
                : ReasonText.make("free slots ", readyFreeSlots, " > downscale point ", scaling.downscaleMargin,
                                  "; emptiest active server (", free, " free)")
            servers[i].standby = true
            freeSlots -= free
            readyFreeSlots -= free
            activeCurrent -= 1
            add(act(.standby, i, code: .aboveDownscaleMargin, reason: reason))
        }
    }

    /// Rule 6.
    mutating func retireOutdated() {
        let outdated = mostFreeFirst { !$0.current && !$0.standby && !$0.stopped }
        guard !outdated.isEmpty else { return }
        if readyFreeSlots >= spec.scaling.upscaleMargin {
            for i in outdated {
                servers[i].standby = true
                add(act(.standby, i, code: .outdated, reason:
                    "outdated (runs \(server(i).taskDefinition), not \(current)); current servers have \(readyFreeSlots) free slots ≥ upscale margin \(spec.scaling.upscaleMargin)"))
            }
        } else if existingAfterPlan >= spec.scaling.maxServers, launched == 0 {
            // No room to launch replacements: drain one outdated server so room appears.
            let i = outdated[0]
            servers[i].standby = true
            add(act(.standby, i, code: .outdated, reason:
                "outdated (runs \(server(i).taskDefinition), not \(current)); drained to make room for a replacement under maxServers \(spec.scaling.maxServers)"))
        }
    }

    /// Rule 7.
    mutating func enforceMaxServers() {
        let maxServers = spec.scaling.maxServers
        let existing = existingAfterPlan
        let parked = servers.reduce(0) { $0 + ($1.standby && !$1.stopped ? 1 : 0) }
        var excess = existing - maxServers - parked
        guard excess > 0 else { return }
        let candidates = mostFreeFirst { !$0.standby && !$0.stopped }
        for i in candidates where excess > 0 {
            servers[i].standby = true
            excess -= 1
            add(act(.standby, i, code: .overMaxServers, reason: "\(existing) servers > maxServers \(maxServers)"))
        }
    }

    /// The plan, its actions ordered by phase, each phase in the order its actions were decided.
    mutating func finish() -> Plan {
        var all: [Action] = []
        swap(&all, &actions)
        if !phases.indices.dropFirst().allSatisfy({ phases[$0 - 1] <= phases[$0] }) {
            // Out of phase order (drained standbys are stopped after the launches were decided):
            // a stable counting sort by phase.
            var ordered: [Action] = []
            ordered.reserveCapacity(all.count)
            for phase in PlanPhase.allCases {
                for i in all.indices where phases[i] == UInt8(phase.rawValue) { ordered.append(all[i]) }
            }
            all = ordered
        }
        return Plan(actions: all, summary: summary, limits: limits, requeueSoon: requeueSoon, servers: states)
    }
}

/// Where an action stands in a plan, decided from the action alone: stops first (they end what is
/// broken and drained, and free room under `maxServers`), then gameservers placed on waiting hosts,
/// activations (up already, so cheaper than launches), launches, and standbys last (parking never
/// runs ahead of the capacity that replaces it). Within a phase, actions keep the order the rules
/// decided them in (emptiest first, ties by id).
enum PlanPhase: Int, CaseIterable {
    case stop, place, activate, launch, standby

    static func of(_ action: Action) -> PlanPhase {
        switch action.kind {
        case .stop: return .stop
        case .launch: return action.server == nil ? .launch : .place
        case .activate: return .activate
        case .standby: return .standby
        }
    }
}
