import FleetCore
import Foundation
import Testing
@testable import FleetSimulation

let testNow = Date(timeIntervalSince1970: 1_800_000_000)

/// One observed server for the old rules. `free: nil` means it never answered.
func observed(_ id: String, free: Int? = 10, standby: Bool = false, failures: Int = 0, age: TimeInterval = 600) -> ObservedServer {
    ObservedServer(
        id: id, address: HostPort(host: "10.0.0.1", port: 7000), taskDefinition: "chess:1",
        lifecycle: free == nil ? .pending : .running, standby: standby, launchedAt: testNow.addingTimeInterval(-age),
        health: HealthRecord(availableCapacity: free, readyToClose: free.map { $0 == 10 }, consecutiveFailures: failures,
                             lastSuccessAt: free == nil ? nil : testNow.addingTimeInterval(-5)))
}

/// An old-rules scenario: servers and the one action expected (or none).
struct OldRulesCase: CustomTestStringConvertible, Sendable {
    let name: String
    var spec: FleetSpec = chessSpec(upscale: 4, downscale: 18)
    let servers: [ObservedServer]
    let expected: [String]
    var testDescription: String { name }
}

@Suite("The old app's rules")
struct OldAppPlannerTests {
    static let cases: [OldRulesCase] = [
        OldRulesCase(name: "between the margins nothing happens", servers: [observed("a", free: 5), observed("b", free: 3)], expected: []),
        OldRulesCase(name: "under the upscale margin one server is launched, however many are needed",
                     spec: chessSpec(upscale: 40, downscale: 60), servers: [observed("a", free: 0)], expected: ["launch"]),
        OldRulesCase(name: "a standby server with room is activated before launching",
                     servers: [observed("a", free: 1), observed("b", free: 6, standby: true)], expected: ["activate b"]),
        OldRulesCase(name: "a failing server is stopped first, one action only",
                     servers: [observed("a", free: 0, failures: 2), observed("b", free: 1)], expected: ["stop a"]),
        OldRulesCase(name: "a server that never answered within startupGrace is stopped",
                     servers: [observed("a", free: nil, age: 400), observed("b", free: 8)], expected: ["stop a"]),
        OldRulesCase(name: "an empty standby server is stopped",
                     servers: [observed("a", free: 8), observed("b", free: 10, standby: true)], expected: ["stop b"]),
        OldRulesCase(name: "over the downscale margin the emptiest server is parked",
                     servers: [observed("a", free: 9), observed("b", free: 10), observed("c", free: 2)], expected: ["standby b"]),
        OldRulesCase(name: "a starting server's slots do not count",
                     servers: [observed("a", free: 2), observed("b", free: nil, age: 10)], expected: ["launch"]),
        OldRulesCase(name: "no launch past maxServers", spec: chessSpec(upscale: 4, downscale: 18, maxServers: 2),
                     servers: [observed("a", free: 0), observed("b", free: 1)], expected: []),
    ]

    @Test("one action per pass, by the old rules", arguments: cases)
    func oldRules(_ c: OldRulesCase) {
        let plan = OldAppPlanner.plan(spec: c.spec, observed: ObservedState(servers: c.servers), now: testNow)
        #expect(plan.actions.map { $0.kind == .launch ? "launch" : "\($0.kind.rawValue) \($0.server ?? "?")" } == c.expected)
    }
}
