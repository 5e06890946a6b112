import Foundation
import Testing
@testable import FleetCore

/// One planner scenario: a fleet, a spec, and the actions expected.
struct PlannerCase: CustomTestStringConvertible, Sendable {
    let name: String
    var spec: FleetSpec = FleetCoreTests.spec()
    let servers: [ObservedServer]
    let expected: [String]
    var testDescription: String { name }
}

@Suite("Planner rules")
struct PlannerRuleTests {
    static let cases: [PlannerCase] = [
        PlannerCase(name: "a fleet between its margins is left alone",
                    servers: [server("s1", free: 5), server("s2", free: 3)], expected: []),
        PlannerCase(name: "a server failing failureThreshold probes in a row is stopped",
                    servers: [server("s1", free: 10, failures: 2), server("s2", free: 10)], expected: ["stop s1"]),
        PlannerCase(name: "one failed probe below the threshold keeps the server",
                    servers: [server("s1", free: 10, failures: 1)], expected: []),
        PlannerCase(name: "an unhealthy server is stopped even with players",
                    servers: [server("s1", free: 2, failures: 3), server("s2", free: 8)], expected: ["stop s1"]),
        PlannerCase(name: "a server silent past startupGrace is stopped and replaced",
                    servers: [server("s1", free: nil, age: 200)], expected: ["stop s1", "launch"]),
        PlannerCase(name: "a server still inside startupGrace counts its full capacity",
                    servers: [server("s1", free: 2), server("s2", free: nil, age: 30, lifecycle: .pending)], expected: []),
        PlannerCase(name: "failed probes of a server that never answered do not count before startupGrace",
                    servers: [server("s1", free: 2), server("s2", free: nil, failures: 5, age: 30)], expected: []),
        PlannerCase(name: "a standby server that is ready to close is stopped",
                    servers: [server("s1", free: 5), server("s2", free: 10, ready: true, standby: true)], expected: ["stop s2"]),
        PlannerCase(name: "a standby server with players is kept",
                    servers: [server("s1", free: 5), server("s2", free: 6, ready: false, standby: true)], expected: []),
        PlannerCase(name: "a standby server that says ready_to_close but reports players is kept",
                    servers: [server("s1", free: 5), server("s2", free: 4, ready: true, standby: true)], expected: []),
        PlannerCase(name: "a standby server whose last probe failed is not stopped yet",
                    servers: [server("s1", free: 5), server("s2", free: 10, ready: true, standby: true, failures: 1)], expected: []),
        PlannerCase(name: "free slots under the upscale margin activate the standby server with most free slots",
                    servers: [server("s1", free: 2), server("s2", free: 3, standby: true), server("s3", free: 7, standby: true)],
                    expected: ["activate s3"]),
        PlannerCase(name: "a drained standby server is reused rather than stopped when capacity is short",
                    servers: [server("s1", free: 1), server("s2", free: 10, ready: true, standby: true)], expected: ["activate s2"]),
        PlannerCase(name: "activations come first, then launches make up the rest",
                    spec: spec(upscale: 25, downscale: 40),
                    servers: [server("s1", free: 0), server("s2", free: 6, standby: true)],
                    expected: ["activate s2", "launch", "launch"]),
        PlannerCase(name: "launches enough servers to reach the upscale margin",
                    spec: spec(upscale: 25, downscale: 40),
                    servers: [server("s1", free: 0)], expected: ["launch", "launch", "launch"]),
        PlannerCase(name: "launches stop at maxLaunchesPerPass",
                    spec: spec(upscale: 45, downscale: 60, maxLaunches: 2),
                    servers: [server("s1", free: 0)], expected: ["launch", "launch"]),
        PlannerCase(name: "launches stop at maxServers",
                    spec: spec(max: 2), servers: [server("s1", free: 0), server("s2", free: 1)], expected: []),
        PlannerCase(name: "standby servers count towards maxServers",
                    spec: spec(max: 2), servers: [server("s1", free: 0), server("s2", free: 0, ready: false, standby: true)], expected: []),
        PlannerCase(name: "an empty fleet launches minServers",
                    spec: spec(upscale: 4, min: 3), servers: [], expected: ["launch", "launch", "launch"]),
        PlannerCase(name: "fewer active servers than minServers launches more",
                    spec: spec(min: 2), servers: [server("s1", free: 5)], expected: ["launch"]),
        PlannerCase(name: "free slots over the downscale margin park the emptiest server",
                    servers: [server("s1", free: 10), server("s2", free: 10), server("s3", free: 2)], expected: ["standby s1"]),
        PlannerCase(name: "parking continues while free slots stay over the downscale margin",
                    servers: (1...5).map { server("s\($0)", free: 9) }, expected: ["standby s1", "standby s2", "standby s3"]),
        PlannerCase(name: "parking never goes below minServers",
                    spec: spec(min: 2), servers: [server("s1", free: 10), server("s2", free: 10)], expected: []),
        PlannerCase(name: "capacity still starting never causes parking",
                    servers: [server("s1", free: 10), server("s2", free: nil, age: 10), server("s3", free: nil, age: 10)],
                    expected: []),
        PlannerCase(name: "free slots on servers that are up park the emptiest even while others start",
                    servers: [server("s1", free: 10), server("s2", free: 10), server("s3", free: nil, age: 10)],
                    expected: ["standby s1"]),
        PlannerCase(name: "a rollout parks the outdated servers, not the current one beside a starting replacement",
                    servers: [server("old1", free: 2, task: "game:1"), server("old2", free: 5, task: "game:1"),
                              server("new", free: 9), server("next", free: nil, age: 10, lifecycle: .pending)],
                    expected: ["standby old2", "standby old1"]),
        PlannerCase(name: "a full standby server is not activated; a launch adds room instead",
                    servers: [server("s1", free: 1), server("s2", free: 0, ready: false, standby: true)], expected: ["launch"]),
        PlannerCase(name: "stopping servers are neither counted nor acted on",
                    servers: [server("s1", free: 5), server("s2", free: 0, failures: 9, lifecycle: .stopping)], expected: []),
        PlannerCase(name: "an outdated server stays active until a replacement is up",
                    servers: [server("old", free: 3, task: "game:1")], expected: ["launch"]),
        PlannerCase(name: "outdated servers are parked once current servers have the margin free",
                    servers: [server("old", free: 3, task: "game:1"), server("new", free: 8)], expected: ["standby old"]),
        PlannerCase(name: "outdated servers are not parked while the replacement is still starting",
                    servers: [server("old", free: 3, task: "game:1"), server("new", free: nil, age: 5)], expected: []),
        PlannerCase(name: "an outdated standby server is stopped once it is empty",
                    servers: [server("old", free: 10, ready: true, standby: true, task: "game:1"), server("new", free: 8)], expected: ["stop old"]),
        PlannerCase(name: "outdated standby servers are not activated; a current server is launched instead",
                    servers: [server("old", free: 8, ready: false, standby: true, task: "game:1"), server("new", free: 1)], expected: ["launch"]),
        PlannerCase(name: "at maxServers an outdated server is drained to make room",
                    spec: spec(max: 2), servers: [server("o1", free: 1, task: "game:1"), server("o2", free: 2, task: "game:1")],
                    expected: ["standby o2"]),
        PlannerCase(name: "more servers than maxServers parks the emptiest",
                    spec: spec(max: 2), servers: [server("s1", free: 1), server("s2", free: 6), server("s3", free: 2)],
                    expected: ["standby s2"]),
        PlannerCase(name: "a reported available_capacity above capacity is clamped",
                    servers: [server("s1", free: 500, ready: true)], expected: []),
        PlannerCase(name: "a negative available_capacity counts as full",
                    servers: [server("s1", free: -3, ready: false)], expected: ["launch"]),

        // Restarts: startupGrace counts from the later of launch and first sight.
        PlannerCase(name: "found running two hours ago, one failed probe since first sight: kept (its slots unknown)",
                    servers: [server("s1", free: nil, failures: 1, age: 7200, seenAgo: 5), server("s2", free: 6)], expected: []),
        PlannerCase(name: "found running, no probe yet: kept, and no free slots counted for it",
                    servers: [server("s1", free: nil, age: 7200, seenAgo: 0)], expected: ["launch"]),
        PlannerCase(name: "found running, failureThreshold probes failed since first sight: stopped like any other",
                    servers: [server("s1", free: nil, failures: 2, age: 7200, seenAgo: 10), server("s2", free: 6)], expected: ["stop s1"]),
        PlannerCase(name: "found running, never probed, startupGrace passed since first sight: stopped",
                    servers: [server("s1", free: nil, age: 7200, seenAgo: 200), server("s2", free: 6)], expected: ["stop s1"]),
        PlannerCase(name: "launched 100 s ago but first seen 10 s ago (restart during its start): still starting",
                    servers: [server("s1", free: nil, failures: 5, age: 100, seenAgo: 10)], expected: []),
        PlannerCase(name: "launched while watched: startupGrace from launch as before",
                    servers: [server("s1", free: nil, failures: 1, age: 200, seenAgo: 200), server("s2", free: 6)], expected: ["stop s1"]),
        PlannerCase(name: "an older file without firstSeenAt: a silent old server gets failureThreshold probes",
                    servers: [server("s1", free: nil, failures: 1, age: 7200, unseen: true), server("s2", free: 6)], expected: []),
        PlannerCase(name: "an older file without firstSeenAt: failureThreshold failed probes still stop it",
                    servers: [server("s1", free: nil, failures: 2, age: 7200, unseen: true), server("s2", free: 6)], expected: ["stop s1"]),

        // Address unknown this pass (the lookup failed): kept, not counted as free.
        PlannerCase(name: "a task whose address lookup was throttled is kept however old",
                    servers: [server("s1", free: nil, age: 7200, seenAgo: 7200, addressLookupError: "DescribeInstances failed: throttled"),
                              server("s2", free: 6)], expected: []),
        PlannerCase(name: "a task whose address lookup failed counts no free slots",
                    servers: [server("s1", free: nil, age: 10, addressLookupError: "DescribeNetworkInterfaces failed: throttled"),
                              server("s2", free: 2)], expected: ["launch"]),

        // Host repair is planned, not done by observing.
        PlannerCase(name: "a fleet host registered without a gameserver gets one placed on it",
                    servers: [server("s1", free: 6), server("i-1", free: nil, age: 30, lifecycle: .pending, host: .awaitingGameserver)],
                    expected: ["launch i-1"]),
        PlannerCase(name: "a fleet host whose gameserver ended is stopped and counts for nothing",
                    servers: [server("s1", free: 6), server("i-2", free: nil, age: 900, lifecycle: .stopping, host: .gameserverEnded)],
                    expected: ["stop i-2"]),
        PlannerCase(name: "a host that waited past startupGrace is stopped, not given a gameserver",
                    servers: [server("s1", free: 6), server("i-3", free: nil, age: 300, lifecycle: .pending, host: .awaitingGameserver)],
                    expected: ["stop i-3"]),
    ]

    @Test(arguments: cases)
    func rule(_ c: PlannerCase) {
        let plan = Planner.plan(spec: c.spec, observed: ObservedState(servers: c.servers), now: now)
        #expect(steps(plan) == c.expected)
    }

    @Test func reasonsNameTheFigures() {
        let plan = Planner.plan(spec: spec(), observed: ObservedState(servers: [server("s1", free: 2)]), now: now)
        #expect(plan.actions == [Action(kind: .launch, taskDefinition: currentTask, code: .belowUpscaleMargin, reason: "free slots 2 < upscale margin 4")])
        let down = Planner.plan(spec: spec(), observed: ObservedState(servers: [server("s1", free: 10), server("s2", free: 10)]), now: now)
        #expect(down.actions.first?.reason == "free slots 20 > downscale margin 18; emptiest active server (10 free)")
        let sick = Planner.plan(spec: spec(), observed: ObservedState(servers: [server("s1", free: 10, failures: 2), server("s2")]), now: now)
        #expect(sick.actions.first?.reason == "unhealthy: failed 2 health probes in a row (failureThreshold 2)")
    }

    @Test func aPassCutShortByTheLaunchCapAsksForAnotherAtOnce() {
        let plan = Planner.plan(spec: spec(upscale: 45, downscale: 60, maxLaunches: 2), observed: ObservedState(servers: [server("s1", free: 0)]), now: now)
        #expect(plan.requeueSoon)
        #expect(plan.limits == ["held back: 3 launch(es) by maxLaunchesPerPass 2 (needs 5, 2 in this pass; the rest follow in the next)"])
    }

    @Test func aPassCappedByMaxServersSaysSoButDoesNotHurry() {
        let plan = Planner.plan(spec: spec(max: 2), observed: ObservedState(servers: [server("s1", free: 0), server("s2", free: 1)]), now: now)
        #expect(!plan.requeueSoon)
        #expect(plan.limits == ["needs 1 more server(s) but maxServers 2 leaves room for 0"])
    }

    @Test func summaryCountsWhatThePlanSaw() {
        let servers = [
            server("a", free: 3), server("b", free: nil, age: 10, lifecycle: .pending), server("c", free: 10, standby: true),
            server("d", free: 1, failures: 4), server("e", free: 2, task: "game:1"), server("f", lifecycle: .stopping),
        ]
        let plan = Planner.plan(spec: spec(), observed: ObservedState(servers: servers), now: now)
        #expect(plan.summary == Plan.Summary(freeSlots: 13, upscaleMargin: 4, downscaleMargin: 18, servers: 5, active: 3,
                                             standby: 1, starting: 1, unhealthy: 1, outdated: 1))
    }

    @Test func theIssueRecipeNoLongerStopsAServerFoundRunning() {
        // A freshly restarted gamefleet: launched two hours ago, one failed probe, no success yet.
        let found = server("s1", free: nil, failures: 1, age: 7200, seenAgo: 0)
        let plan = Planner.plan(spec: spec(failureThreshold: 3), observed: ObservedState(servers: [found]), now: now)
        #expect(plan.count(.stop) == 0, "\(plan.actions.map(\.reason))")
        #expect(plan.summary.unknown == 1)
        #expect(plan.summary.freeSlots == 0)
        #expect(PlanTextRenderer.render(plan, fleet: "chess").contains("(0 starting, 1 unknown)"))
    }

    @Test func hostRepairIsRenderedAndReasoned() {
        let plan = Planner.plan(spec: spec(), observed: ObservedState(servers: [
            server("s1", free: 6), server("i-1", free: nil, age: 30, lifecycle: .pending, host: .awaitingGameserver),
        ]), now: now)
        #expect(plan.actions == [Action(kind: .launch, server: "i-1", taskDefinition: currentTask, code: .hostWithoutGameserver, reason: "fleet host registered without a gameserver: place one on it")])
        #expect(PlanTextRenderer.line(plan.actions[0]) == "+ launch game:2 on i-1 # fleet host registered without a gameserver: place one on it")
    }

    @Test func theNewFieldsRoundTripAndOldFilesStillLoad() throws {
        let old = #"{"servers":[{"id":"s1","taskDefinition":"game:2","lifecycle":"running","launchedAt":"2026-11-26T08:00:00Z"}]}"#
        let decoded = try ObservedState.decode(Data(old.utf8))
        #expect(decoded.servers[0].firstSeenAt == nil && decoded.servers[0].addressLookupError == nil && decoded.servers[0].host == nil)
        let full = ObservedState(servers: [server("s1", free: nil, age: 7200, seenAgo: 5, addressLookupError: "DescribeInstances failed: throttled"),
                                           server("i-1", free: nil, lifecycle: .pending, host: .awaitingGameserver)])
        let again = try ObservedState.decode(try full.encoded())
        #expect(again.servers.map(\.firstSeenAt) == full.servers.map(\.firstSeenAt))
        #expect(again.servers.map(\.addressLookupError) == full.servers.map(\.addressLookupError))
        #expect(again.servers.map(\.host) == [nil, .awaitingGameserver])
    }

    @Test func anObservationReflectsActionsThatTookEffect() {
        let state = ObservedState(servers: [server("a"), server("b", standby: true), server("c"), server("d")])
        let after = state.reflecting([
            Action.on(.standby, state.servers[0], code: .aboveDownscaleMargin, reason: "r"), Action.on(.activate, state.servers[1], code: .belowUpscaleMargin, reason: "r"),
            Action.on(.stop, state.servers[2], code: .readyToClose, reason: "r"), .launch(currentTask, code: .belowUpscaleMargin, reason: "r"),
        ])
        #expect(after.servers.map(\.standby) == [true, false, false, false])
        #expect(after.servers.map(\.lifecycle) == [.running, .running, .stopping, .running])
        #expect(state.reflecting([]) == state)
    }
}

@Suite("Reason codes")
struct ReasonCodeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var servers: [ObservedServer]
        var expected: [Action.Kind: ReasonCode]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        .init(name: "never answered within startupGrace", servers: [server("a", free: 6), server("b", free: nil, age: 600)],
              expected: [.stop: .neverAnswered]),
        .init(name: "failed probes in a row", servers: [server("a", free: 6), server("b", free: 5, failures: 3)],
              expected: [.stop: .unhealthyFailedProbes]),
        .init(name: "free slots under the upscale margin", servers: [server("a", free: 1)],
              expected: [.launch: .belowUpscaleMargin]),
        .init(name: "standby and ready to close", servers: [server("a", free: 6), server("b", free: 10, ready: true, standby: true)],
              expected: [.stop: .readyToClose]),
        .init(name: "free slots over the downscale margin", servers: [server("a", free: 10), server("b", free: 10), server("c", free: 10)],
              expected: [.standby: .aboveDownscaleMargin]),
        .init(name: "outdated", servers: [server("a", free: 10), server("b", free: 10, task: "game:1")],
              expected: [.standby: .outdated]),
    ]

    @Test(arguments: cases)
    func eachRuleSaysItsCode(_ c: Case) {
        let plan = Planner.plan(spec: spec(), observed: ObservedState(servers: c.servers), now: now)
        for (kind, code) in c.expected {
            let actions = plan.actions.filter { $0.kind == kind }
            #expect(!actions.isEmpty && actions.allSatisfy { $0.reasonCode == code }, "\(plan.actions.map { "\($0.kind) \($0.reasonCode) \($0.reason)" })")
        }
    }
}

/// The state each server is shown in (the status page draws `Plan.servers` and decides nothing), as
/// the planner's own rules judge it.
@Suite("Planner: each server's state")
struct ServerStateTests {
    @Test("One row per state; one failed probe under failureThreshold is still active", arguments: [
        (server("ok"), Plan.ServerState.State.active, nil as String?),
        (server("one-failure", failures: 1), .active, nil),
        (server("failing", failures: 2), .unhealthy, "failed"),
        (server("new", free: nil, age: 30, lifecycle: .pending), .starting, nil),
        (server("parked", standby: true), .standby, nil),
        (server("old", task: "game:1"), .outdated, "runs game:1, not game:2"),
        (server("lost", free: nil, addressLookupError: "no network interface"), .unknown, "address unknown"),
        (server("going", lifecycle: .stopping), .stopping, nil),
    ] as [(ObservedServer, Plan.ServerState.State, String?)])
    func state(_ observed: ObservedServer, _ expected: Plan.ServerState.State, _ reason: String?) {
        let plan = Planner.plan(spec: spec(failureThreshold: 2), observed: ObservedState(observedAt: now, servers: [observed, server("filler")]), now: now)
        let shown = plan.servers?.first { $0.id == observed.id }
        #expect(shown?.state == expected, "\(String(describing: shown))")
        if let reason { #expect(shown?.reason?.contains(reason) == true, "\(String(describing: shown))") }
        #expect(plan.servers?.count == 2)
    }
}
