import Foundation
import Testing
@testable import FleetCore

/// One expected launch: confirmed (a server id) unless `server` is nil, `age` seconds old.
func expected(_ server: String?, token: String = "gf-t1", age: TimeInterval = 5, task: String = currentTask) -> ExpectedLaunch {
    ExpectedLaunch(token: token, server: server, taskDefinition: task, launchedAt: now.addingTimeInterval(-age))
}

/// A planner scenario with launches expected but not listed yet.
struct ExpectationCase: CustomTestStringConvertible, Sendable {
    let name: String
    var spec: FleetSpec = FleetCoreTests.spec()
    var servers: [ObservedServer] = []
    let expected: [ExpectedLaunch]
    let steps: [String]
    /// Summary figures: free slots, servers, starting.
    let figures: (free: Int, servers: Int, starting: Int)
    var testDescription: String { name }
}

@Suite("Planner: launches expected but not listed yet")
struct PlannerExpectationTests {
    static let cases: [ExpectationCase] = [
        ExpectationCase(name: "an expected launch counts as a starting server: nothing is launched again",
                        spec: spec(upscale: 4, min: 1), expected: [expected("t1")], steps: [], figures: (10, 1, 1)),
        ExpectationCase(name: "expected launches count toward minServers; only the rest is launched",
                        spec: spec(upscale: 4, min: 3), expected: [expected("t1"), expected("t2")], steps: ["launch"], figures: (20, 2, 2)),
        ExpectationCase(name: "expected launches count toward the upscale margin",
                        spec: spec(upscale: 25, downscale: 40), servers: [server("s1", free: 0)], expected: [expected("t1")],
                        steps: ["launch", "launch"], figures: (10, 2, 1)),
        ExpectationCase(name: "expected launches count toward maxServers",
                        spec: spec(upscale: 25, downscale: 40, max: 2), servers: [server("s1", free: 0)], expected: [expected("t1")],
                        steps: [], figures: (10, 2, 1)),
        ExpectationCase(name: "a launch whose answer was lost is not counted: it is launched again (under its token)",
                        spec: spec(upscale: 4, min: 2), expected: [expected(nil), expected(nil)], steps: ["launch", "launch"], figures: (0, 0, 0)),
        ExpectationCase(name: "an expected launch older than startupGrace is not counted",
                        spec: spec(upscale: 4, min: 1, startupGrace: .seconds(120)), expected: [expected("t1", age: 121)],
                        steps: ["launch"], figures: (0, 0, 0)),
        ExpectationCase(name: "an expected server that is listed too is counted once",
                        spec: spec(upscale: 4, min: 2), servers: [server("t1", free: nil, age: 5, lifecycle: .pending)], expected: [expected("t1")],
                        steps: ["launch"], figures: (10, 1, 1)),
        ExpectationCase(name: "an expected launch of another task definition takes room but adds no current slots",
                        spec: spec(upscale: 4, min: 1, max: 2), expected: [expected("t1", task: "game:1")],
                        steps: ["launch"], figures: (0, 1, 1)),
        ExpectationCase(name: "parking weighs only capacity that is up, not expected slots",
                        spec: spec(upscale: 4, downscale: 18, min: 1), servers: [server("s1", free: 10), server("s2", free: 10)],
                        expected: [expected("t1")], steps: ["standby s1"], figures: (30, 3, 1)),
    ]

    @Test(arguments: cases)
    func plans(_ example: ExpectationCase) {
        let plan = Planner.plan(spec: example.spec, observed: ObservedState(servers: example.servers, expected: example.expected), now: now)
        #expect(steps(plan) == example.steps)
        #expect(plan.summary.freeSlots == example.figures.free)
        #expect(plan.summary.servers == example.figures.servers)
        #expect(plan.summary.starting == example.figures.starting)
    }

    @Test("Expected launches survive the observed-state file; a file without them still reads")
    func observedStateJSON() throws {
        let state = ObservedState(observedAt: now, servers: [server("s1")], expected: [expected("t1"), expected(nil, token: "gf-t2")])
        let data = try state.encoded()
        #expect(try ObservedState.decode(data) == state)
        let bare = try ObservedState(observedAt: now, servers: [server("s1")]).encoded()
        #expect(!String(decoding: bare, as: UTF8.self).contains("expected"), "left out when empty")
        #expect(try ObservedState.decode(bare).expected.isEmpty)
    }
}

@Suite("Launch expectations")
struct LaunchExpectationsTests {
    @Test("A confirmed launch is expected until listed")
    func listedLeaves() {
        var book = LaunchExpectations()
        book.launched(token: "a", servers: ["t1", "t2"], taskDefinition: currentTask, at: now)
        book.observe(listed: ["t1"], gone: [], at: now.addingTimeInterval(1), timeout: 60)
        #expect(book.entries.map(\.server) == ["t2"])
    }

    @Test("A server found gone before it was ever listed is no longer expected")
    func goneLeaves() {
        var book = LaunchExpectations()
        book.launched(token: "a", servers: ["t1", "t2"], taskDefinition: currentTask, at: now)
        book.observe(listed: [], gone: ["t2"], at: now, timeout: 60)
        #expect(book.confirmedServers == ["t1"])
    }

    @Test("Entries older than the timeout leave, and are reported")
    func timeout() {
        var book = LaunchExpectations()
        book.launched(token: "a", servers: ["t1"], taskDefinition: currentTask, at: now)
        book.uncertain(token: "b", count: 2, taskDefinition: currentTask, at: now.addingTimeInterval(30))
        let expired = book.observe(listed: [], gone: [], at: now.addingTimeInterval(61), timeout: 60)
        #expect(expired.map(\.server) == ["t1"])
        #expect(book.entries.count == 2)
    }

    @Test("A lost answer stays expected under its token; its retry keeps the first time and its answer confirms it")
    func uncertainThenConfirmed() {
        var book = LaunchExpectations()
        book.uncertain(token: "a", count: 2, taskDefinition: currentTask, at: now)
        #expect(book.uncertainBatches.map(\.token) == ["a"])
        #expect(book.uncertainBatches.map(\.count) == [2])
        #expect(book.confirmedServers.isEmpty)
        book.uncertain(token: "a", count: 2, taskDefinition: currentTask, at: now.addingTimeInterval(10))
        #expect(book.entries.count == 2)
        #expect(book.entries.allSatisfy { $0.launchedAt == now }, "the timeout counts from the first ask")
        book.launched(token: "a", servers: ["t1", "t2"], taskDefinition: currentTask, at: now.addingTimeInterval(20))
        #expect(book.uncertainBatches.isEmpty)
        #expect(book.confirmedServers == ["t1", "t2"])
        #expect(book.entries.allSatisfy { $0.launchedAt == now }, "still from the first ask")
    }

    @Test("A retry that started nothing drops the token")
    func forget() {
        var book = LaunchExpectations()
        book.uncertain(token: "a", count: 1, taskDefinition: currentTask, at: now)
        book.uncertain(token: "b", count: 3, taskDefinition: currentTask, at: now)
        book.forget(token: "a")
        #expect(book.uncertainBatches.map(\.token) == ["b"])
        #expect(book.uncertainBatches.map(\.count) == [3])
    }
}
