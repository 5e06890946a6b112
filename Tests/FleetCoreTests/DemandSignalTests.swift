import Foundation
import Testing
@testable import FleetCore

@Suite("Demand signal and startup statistic")
struct DemandSignalTests {
    struct PercentileCase: CustomTestStringConvertible, Sendable {
        var name: String
        var durations: [Double]
        var expected: StartupStatistic?
        var testDescription: String { name }
    }

    static let percentiles: [PercentileCase] = [
        PercentileCase(name: "none", durations: [], expected: nil),
        PercentileCase(name: "one", durations: [42], expected: StartupStatistic(p90Seconds: 42, samples: 1)),
        PercentileCase(name: "ten: the 9th smallest", durations: [10, 1, 9, 2, 8, 3, 7, 4, 6, 5],
                       expected: StartupStatistic(p90Seconds: 9, samples: 10)),
        PercentileCase(name: "eleven: the 10th smallest", durations: (1...11).map(Double.init),
                       expected: StartupStatistic(p90Seconds: 10, samples: 11)),
        PercentileCase(name: "one slow outlier in 17 does not move it", durations: Array(repeating: 40, count: 16) + [900],
                       expected: StartupStatistic(p90Seconds: 40, samples: 17)),
        PercentileCase(name: "two slow in ten: it shows", durations: Array(repeating: 40, count: 8) + [300, 900],
                       expected: StartupStatistic(p90Seconds: 300, samples: 10)),
    ]

    @Test(arguments: percentiles)
    func p90(_ c: PercentileCase) {
        #expect(StartupStatistic(durations: c.durations) == c.expected)
    }

    @Test func aSignalCountsEveryAnswerAsARequest() {
        let signal = DemandSignal(windowSeconds: 10, tally: AllocationTally(server: 113, backup: 3, none: 4), reservedUnconfirmed: 5)
        #expect(signal.requests == 120)
        #expect(signal.allocations == 113)
        #expect(signal.backup == 3)
        #expect(signal.unavailable == 4)
        #expect(signal.requestsPerSecond == 12)
        #expect(signal.tally == AllocationTally(server: 113, backup: 3, none: 4))
        #expect(DemandSignal(windowSeconds: 0, tally: AllocationTally(server: 1), reservedUnconfirmed: 0).requestsPerSecond == nil)
    }

    @Test func anOldFileLoadsWithoutTheNewFields() throws {
        let state = try ObservedState.decode(Data(#"{"servers": []}"#.utf8))
        #expect(state.demand == nil)
        #expect(state.startup == nil)
        let written = String(decoding: try state.encoded(), as: UTF8.self)
        #expect(!written.contains("demand") && !written.contains("startup"))
    }

    @Test func theFieldsRoundTrip() throws {
        let state = ObservedState(servers: [], demand: DemandSignal(windowSeconds: 9.5, tally: AllocationTally(server: 1, backup: 2, none: 3), reservedUnconfirmed: 4),
                                  startup: StartupStatistic(p90Seconds: 42, samples: 17))
        #expect(try ObservedState.decode(state.encoded()) == state)
    }

    struct BadCase: CustomTestStringConvertible, Sendable {
        var name: String
        var json: String
        var field: String
        var message: String
        var testDescription: String { name }
    }

    static let demand = #""windowSeconds": 10, "requests": 6, "allocations": 1, "backup": 2, "unavailable": 3, "reservedUnconfirmed": 0"#
    static let bad: [BadCase] = [
        BadCase(name: "requests not the sum", json: #"{"servers": [], "demand": {"windowSeconds": 10, "requests": 7, "allocations": 1, "backup": 2, "unavailable": 3, "reservedUnconfirmed": 0}}"#,
                field: "requests", message: "must equal allocations + backup + unavailable (6), got 7"),
        BadCase(name: "negative backup", json: #"{"servers": [], "demand": {"windowSeconds": 10, "requests": 2, "allocations": 3, "backup": -1, "unavailable": 0, "reservedUnconfirmed": 0}}"#,
                field: "backup", message: "must be 0 or more, got -1"),
        BadCase(name: "negative window", json: #"{"servers": [], "demand": {"windowSeconds": -1, "requests": 0, "allocations": 0, "backup": 0, "unavailable": 0, "reservedUnconfirmed": 0}}"#,
                field: "windowSeconds", message: "must be 0 or more seconds, got -1.0"),
        BadCase(name: "huge counts do not trap", json: #"{"servers": [], "demand": {"windowSeconds": 1, "requests": 1, "allocations": 9223372036854775807, "backup": 1, "unavailable": 0, "reservedUnconfirmed": 0}}"#,
                field: "requests", message: "must equal allocations + backup + unavailable (too large), got 1"),
        BadCase(name: "no samples", json: #"{"servers": [], "startup": {"p90Seconds": 4, "samples": 0}}"#,
                field: "samples", message: "must be 1 or more (leave `startup` out when nothing was measured), got 0"),
        BadCase(name: "negative percentile", json: #"{"servers": [], "startup": {"p90Seconds": -4, "samples": 3}}"#,
                field: "p90Seconds", message: "must be 0 or more seconds, got -4.0"),
    ]

    @Test(arguments: bad)
    func badFieldsAreNamed(_ c: BadCase) {
        do {
            _ = try ObservedState.decode(Data(c.json.utf8))
            Issue.record("decoded \(c.name)")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.codingPath.last?.stringValue == c.field)
            #expect(context.debugDescription == c.message)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    struct LineCase: CustomTestStringConvertible, Sendable {
        var name: String
        var demand: DemandSignal?
        var startup: StartupStatistic?
        var line: String?
        var testDescription: String { name }
    }

    static let lines: [LineCase] = [
        LineCase(name: "neither", line: nil),
        LineCase(name: "both",
                 demand: DemandSignal(windowSeconds: 10, tally: AllocationTally(server: 117, backup: 3, none: 0), reservedUnconfirmed: 4),
                 startup: StartupStatistic(p90Seconds: 42, samples: 17),
                 line: "Demand since last pass: 120 requests over 10s (12.0/s), 3 to the backup, 0 unavailable, 4 reserved unconfirmed; startup p90 42s over 17 launches."),
        LineCase(name: "demand only, fractional window, one request",
                 demand: DemandSignal(windowSeconds: 2.5, tally: AllocationTally(none: 1), reservedUnconfirmed: 0),
                 line: "Demand since last pass: 1 request over 2.5s (0.4/s), 0 to the backup, 1 unavailable, 0 reserved unconfirmed."),
        LineCase(name: "empty window has no rate",
                 demand: DemandSignal(windowSeconds: 0, tally: AllocationTally(), reservedUnconfirmed: 0),
                 line: "Demand since last pass: 0 requests over 0s, 0 to the backup, 0 unavailable, 0 reserved unconfirmed."),
        LineCase(name: "startup only", startup: StartupStatistic(p90Seconds: 31.25, samples: 1),
                 line: "Startup p90 31.3s over 1 launch."),
    ]

    @Test(arguments: lines)
    func summaryLine(_ c: LineCase) {
        #expect(PlanTextRenderer.signalLine(demand: c.demand, startup: c.startup) == c.line)
    }

    /// The planner echoes the signal in its summary and decides exactly as without it.
    @Test func thePlannerEchoesButDoesNotAct() {
        let servers = [server("a", free: 2), server("b", free: 10)]
        let bare = Planner.plan(spec: spec(), observed: ObservedState(servers: servers), now: now)
        let signal = DemandSignal(windowSeconds: 10, tally: AllocationTally(server: 5000, backup: 900, none: 9), reservedUnconfirmed: 40)
        let startup = StartupStatistic(p90Seconds: 90, samples: 12)
        let withSignal = Planner.plan(spec: spec(), observed: ObservedState(servers: servers, demand: signal, startup: startup), now: now)
        #expect(withSignal.actions == bare.actions)
        #expect(withSignal.limits == bare.limits)
        #expect(withSignal.summary.demand == signal)
        #expect(withSignal.summary.startup == startup)
        var echoed = withSignal.summary
        echoed.demand = nil
        echoed.startup = nil
        #expect(echoed == bare.summary)
    }
}
