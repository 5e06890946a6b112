import Foundation
@testable import FleetCore
import Testing

/// A fleet host (`ecs.launchTemplate`) that has not registered with the cluster: starting until
/// `startupGrace` after EC2's launch time, then stopped (terminated) with its own reason code,
/// whatever this gamefleet's first sight of it (it can hold no players).
@Suite("Hosts that never registered")
struct UnregisteredHostTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var servers: [ObservedServer]
        var steps: [String]
        var starting: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        .init(name: "booting within grace: counted as starting, nothing launched for it",
              servers: [server("s1", free: 7), server("i-1", free: nil, age: 60, lifecycle: .pending, host: .unregistered)],
              steps: [], starting: 1),
        .init(name: "past grace: terminated",
              servers: [server("s1", free: 7), server("i-1", free: nil, age: 121, lifecycle: .pending, host: .unregistered)],
              steps: ["stop i-1"], starting: 0),
        .init(name: "past grace with too few free slots: terminated and replaced",
              servers: [server("s1", free: 2), server("i-1", free: nil, age: 121, lifecycle: .pending, host: .unregistered)],
              steps: ["stop i-1", "launch"], starting: 0),
        .init(name: "found by a gamefleet that just started, launched long ago: terminated at once",
              servers: [server("s1", free: 7), server("i-1", free: nil, age: 3600, lifecycle: .pending, seenAgo: 0, host: .unregistered)],
              steps: ["stop i-1"], starting: 0),
    ]

    @Test(arguments: cases)
    func rule(_ c: Case) {
        let plan = Planner.plan(spec: spec(startupGrace: .seconds(120)), observed: ObservedState(servers: c.servers), now: now)
        #expect(steps(plan) == c.steps, "\(plan.actions.map(\.reason))")
        #expect(plan.summary.starting == c.starting)
        for stop in plan.actions where stop.kind == .stop {
            #expect(stop.reasonCode == .hostNeverRegistered)
            #expect(stop.reason.contains("did not register with the cluster within startupGrace 2m"), "\(stop.reason)")
        }
    }
}
