import Foundation
import PropertyBased
import Testing
@testable import FleetCore

/// Random fleets are drawn as arrays of integers ("genes") that decode into servers, so the
/// library's shrinking works on plain numbers and a failure shrinks to a small fleet.
enum RandomFleet {
    static func spec(_ gene: Int) -> FleetSpec {
        let capacity = 1 + gene % 12
        let upscale = 1 + (gene / 12) % 10
        let downscale = upscale + capacity + 1 + (gene / 120) % 15
        let minServers = (gene / 1800) % 4
        let maxServers = minServers + 1 + (gene / 7200) % 20
        let maxLaunches = 1 + (gene / 144_000) % 5
        return FleetCoreTests.spec(capacity: capacity, upscale: upscale, downscale: downscale, min: minServers,
                                   max: maxServers, maxLaunches: maxLaunches)
    }

    static func server(_ index: Int, _ gene: Int, capacity: Int) -> ObservedServer {
        var g = gene
        func take(_ n: Int) -> Int { defer { g /= n }; return g % n }
        let lifecycle: Lifecycle = [.pending, .stopping, .running, .running, .running, .running][take(6)]
        let answered = take(8) != 0
        let free = take(capacity + 3) - 1  // -1...capacity+1: includes lies on both sides
        let ready = [true, false, free >= capacity][take(3)]
        let failures = [0, 0, 0, 1, 2, 5][take(6)]
        let standby = take(3) == 0
        let outdated = take(5) == 0
        let age: TimeInterval = [10, 60, 200, 1000][take(4)]
        let seenAgo: TimeInterval? = [age, age, nil, 0, 30, 500][take(6)]
        return ObservedServer(
            id: "s\(index)", address: HostPort(host: "127.0.0.1", port: 7000 + index),
            taskDefinition: outdated ? "game:1" : currentTask, lifecycle: lifecycle, standby: standby,
            launchedAt: now.addingTimeInterval(-age),
            health: HealthRecord(availableCapacity: answered ? free : nil, readyToClose: answered ? ready : nil,
                                 consecutiveFailures: failures, lastSuccessAt: answered ? now.addingTimeInterval(-5) : nil),
            firstSeenAt: seenAgo.map { now.addingTimeInterval(-min($0, age)) })
    }

    static func fleet(_ genes: [Int], spec: FleetSpec) -> ObservedState {
        ObservedState(servers: genes.enumerated().map { server($0.offset, $0.element, capacity: spec.gameserver.capacity) })
    }

    static let specGene = Gen.int(in: 0...10_000_000)
    static let serverGenes = Gen.int(in: 0...100_000_000).array(of: 0...40)
}

/// Applies a plan to a fleet the way a well-behaved provider would, with health held constant:
/// stops vanish, launches appear running and empty, standby/activate flip the flag.
func simulateApply(_ plan: Plan, to state: ObservedState, spec: FleetSpec, pass: Int) -> ObservedState {
    var servers = state.servers
    let stopped = Set(plan.actions.filter { $0.kind == .stop }.compactMap(\.server))
    servers.removeAll { stopped.contains($0.id) || $0.lifecycle == .stopping }
    for action in plan.actions {
        switch action.kind {
        case .stop, .launch: continue
        case .standby, .activate:
            if let i = servers.firstIndex(where: { $0.id == action.server }) { servers[i].standby = action.kind == .standby }
        }
    }
    let capacity = spec.gameserver.capacity
    for (n, action) in plan.actions.filter({ $0.kind == .launch }).enumerated() {
        servers.append(ObservedServer(
            id: "new-\(pass)-\(n)", address: HostPort(host: "127.0.0.1", port: 9000 + n), taskDefinition: action.taskDefinition ?? "",
            lifecycle: .running, launchedAt: now.addingTimeInterval(-30),
            health: HealthRecord(availableCapacity: capacity, readyToClose: true, consecutiveFailures: 0, lastSuccessAt: now)))
    }
    return ObservedState(servers: servers)
}

@Suite("Planner invariants over random fleets")
struct PlannerPropertyTests {
    /// A fleet the random search once found: two outdated servers under maxServers 9 roll one at a
    /// time (park, stop when drained, launch the replacement) and settle at the seventh pass.
    @Test func rollingOutdatedServersUnderMaxServersConverges() {
        let spec = RandomFleet.spec(5_658_324)
        var state = RandomFleet.fleet([10_786_176, 23_798_120], spec: spec)
        var passes = 0
        while passes < 12 {
            let plan = Planner.plan(spec: spec, observed: state, now: now)
            if plan.isEmpty { break }
            state = simulateApply(plan, to: state, spec: spec, pass: passes)
            passes += 1
        }
        #expect(passes == 6, "settled after \(passes) passes with changes")
    }

    /// Plan order is a key of the action (``PlanPhase``), not the order the rules ran in: stops,
    /// placements, activations, launches, standbys, whatever the fleet.
    @Test func actionsComeInPhaseOrder() async {
        await propertyCheck(count: 400, input: RandomFleet.specGene, RandomFleet.serverGenes) { specGene, genes in
            let spec = RandomFleet.spec(specGene)
            let plan = Planner.plan(spec: spec, observed: RandomFleet.fleet(genes, spec: spec), now: now)
            let phases = plan.actions.map { PlanPhase.of($0).rawValue }
            #expect(phases == phases.sorted(), "\(plan.actions.map { "\($0.kind) \($0.server ?? "new")" })")
        }
    }

    @Test("Each kind of action has its phase", arguments: [
        (Action.Kind.stop, nil as String?, PlanPhase.stop), (.launch, "i-0123", .place), (.activate, "s1", .activate),
        (.launch, nil, .launch), (.standby, "s1", .standby),
    ])
    func phaseOfAnAction(kind: Action.Kind, server: String?, phase: PlanPhase) {
        let action = Action(kind: kind, server: server, taskDefinition: "game:1", code: .belowUpscaleMargin, reason: "")
        #expect(PlanPhase.of(action) == phase)
    }

    @Test func neverStopsAServerWithPlayersThatAnswersHealth() async {
        await propertyCheck(count: 400, input: RandomFleet.specGene, RandomFleet.serverGenes) { specGene, genes in
            let spec = RandomFleet.spec(specGene)
            let state = RandomFleet.fleet(genes, spec: spec)
            let plan = Planner.plan(spec: spec, observed: state, now: now)
            let byID = Dictionary(uniqueKeysWithValues: state.servers.map { ($0.id, $0) })
            for stop in plan.actions where stop.kind == .stop {
                let s = byID[stop.server!]!
                let healthy = s.health.hasAnswered && s.health.consecutiveFailures < spec.gameserver.health.failureThreshold
                let free = s.health.availableCapacity ?? 0
                let hasPlayers = s.health.readyToClose != true || free < spec.gameserver.capacity
                #expect(!(healthy && hasPlayers), "stopped \(s.id) which has players and answers health: \(s.health)")
            }
        }
    }

    @Test func aServerFirstSeenJustNowIsNeverStoppedAsNeverAnswered() async {
        await propertyCheck(count: 400, input: RandomFleet.specGene, RandomFleet.serverGenes) { specGene, genes in
            let spec = RandomFleet.spec(specGene)
            var state = RandomFleet.fleet(genes, spec: spec)
            // Every server as a freshly restarted gamefleet sees it: first seen now, history kept.
            for i in state.servers.indices { state.servers[i].firstSeenAt = now }
            let plan = Planner.plan(spec: spec, observed: state, now: now)
            let byID = Dictionary(uniqueKeysWithValues: state.servers.map { ($0.id, $0) })
            for stop in plan.actions where stop.kind == .stop {
                let s = byID[stop.server!]!
                #expect(!stop.reason.contains("never answered"), "stopped \(s.id) as silent the moment it was first seen: \(stop.reason)")
                // Whatever stops it must be failed probes (or its own drained standby).
                #expect(s.health.consecutiveFailures >= spec.gameserver.health.failureThreshold || s.standby, "\(stop.reason)")
            }
        }
    }

    @Test func neverLaunchesPastMaxServers() async {
        await propertyCheck(count: 400, input: RandomFleet.specGene, RandomFleet.serverGenes) { specGene, genes in
            let spec = RandomFleet.spec(specGene)
            let state = RandomFleet.fleet(genes, spec: spec)
            let plan = Planner.plan(spec: spec, observed: state, now: now)
            let existing = state.servers.filter { $0.lifecycle != .stopping }.count
            let after = existing - plan.count(.stop) + plan.count(.launch)
            if plan.count(.launch) > 0 {
                #expect(after <= spec.scaling.maxServers)
            }
            #expect(plan.count(.launch) <= spec.scaling.maxLaunchesPerPass)
        }
    }

    @Test func everyActionTargetsAServerAtMostOnce() async {
        await propertyCheck(count: 300, input: RandomFleet.specGene, RandomFleet.serverGenes) { specGene, genes in
            let spec = RandomFleet.spec(specGene)
            let plan = Planner.plan(spec: spec, observed: RandomFleet.fleet(genes, spec: spec), now: now)
            let targets = plan.actions.compactMap(\.server)
            #expect(Set(targets).count == targets.count, "\(steps(plan))")
        }
    }

    @Test func applyingPlansConvergesToNoChanges() async {
        await propertyCheck(count: 300, input: RandomFleet.specGene, RandomFleet.serverGenes) { specGene, genes in
            let spec = RandomFleet.spec(specGene)
            var state = RandomFleet.fleet(genes, spec: spec)
            var history: [[String]] = []
            var converged = false
            // Launches are capped per pass, so allow enough passes for the largest deficit; and under
            // maxServers each outdated server is rolled in turn (park, stop when drained, launch its
            // replacement), two or three passes each.
            let outdated = state.servers.filter { $0.taskDefinition != spec.taskDefinition }.count
            let passes = 4 + (spec.scaling.maxServers / spec.scaling.maxLaunchesPerPass) + 1 + 3 * outdated
            for pass in 0..<passes {
                let plan = Planner.plan(spec: spec, observed: state, now: now)
                if plan.isEmpty { converged = true; break }
                history.append(steps(plan))
                state = simulateApply(plan, to: state, spec: spec, pass: pass)
            }
            #expect(converged, "no convergence in \(passes) passes: \(history)")
        }
    }
}
