import Foundation
import FleetCore
import Testing
@testable import FleetSimulation

/// A `--sweep` argument and what it must parse to, or the error it must give.
struct SweepAxisCase: CustomTestStringConvertible, Sendable {
    let text: String
    var values: [Int]? = nil
    var error: String? = nil
    var testDescription: String { text }
}

/// Points (cost, backup) and which are on the Pareto front.
struct FrontCase: CustomTestStringConvertible, Sendable {
    let name: String
    let points: [(cost: Double, backup: Int)]
    let front: [Int]
    var testDescription: String { name }
}

@Suite("Sweeps")
struct SweepTests {
    static let axes: [SweepAxisCase] = [
        SweepAxisCase(text: "upscaleMargin=2...6", values: [2, 3, 4, 5, 6]),
        SweepAxisCase(text: "downscaleMargin=15...60/15", values: [15, 30, 45, 60]),
        SweepAxisCase(text: "capacity=12,8,10,8", values: [8, 10, 12]),
        SweepAxisCase(text: "maxLaunchesPerPass=5", values: [5]),
        SweepAxisCase(text: "minServers=0...2", values: [0, 1, 2]),
        SweepAxisCase(text: "upscale=2...20", error: "'upscale=2...20': unknown setting 'upscale'; a sweep can vary upscaleMargin, downscaleMargin, capacity, maxLaunchesPerPass, minServers, maxServers, policy, headroomPercent, halfLife, smoothing, forecast"),
        SweepAxisCase(text: "forecast=arrivals,growth", values: [0, 1]),
        SweepAxisCase(text: "policy=margin,demand", values: [0, 1]),
        SweepAxisCase(text: "policy=demand", values: [1]),
        SweepAxisCase(text: "policy=margins", error: "'policy=margins': 'margins' is not a policy; use margin, demand"),
        SweepAxisCase(text: "headroomPercent=100...200/50", values: [100, 150, 200]),
        SweepAxisCase(text: "headroomPercent=50", error: "'headroomPercent=50': headroomPercent must be at least 100, got 50"),
        SweepAxisCase(text: "halfLife=600,1800", values: [600, 1800]),
        SweepAxisCase(text: "upscaleMargin", error: "'upscaleMargin': expected SETTING=VALUES, such as upscaleMargin=2...20"),
        SweepAxisCase(text: "upscaleMargin=20...2", error: "'upscaleMargin=20...2': the range 20...2 is empty"),
        SweepAxisCase(text: "upscaleMargin=0...5", error: "'upscaleMargin=0...5': upscaleMargin must be at least 1, got 0"),
        SweepAxisCase(text: "upscaleMargin=2...x", error: "'upscaleMargin=2...x': 'x' is not a whole number"),
        SweepAxisCase(text: "upscaleMargin=2...20/0", error: "'upscaleMargin=2...20/0': the step after '/' must be a whole number more than 0"),
        SweepAxisCase(text: "capacity=1...5000", error: "'capacity=1...5000': 5000 values; at most 1000 per setting"),
    ]

    @Test("a sweep axis parses from the command line, or says what is wrong", arguments: axes)
    func axisParsing(_ c: SweepAxisCase) {
        do {
            let axis = try SweepAxis(parsing: c.text)
            #expect(axis.values == c.values)
            #expect(c.error == nil)
        } catch {
            #expect(error.description == c.error)
        }
    }

    @Test("combinations that break downscaleMargin - upscaleMargin > capacity are skipped and counted")
    func skipsInvalidCombinations() throws {
        let axes = [try SweepAxis(parsing: "upscaleMargin=2...20"), try SweepAxis(parsing: "downscaleMargin=15...60")]
        let (valid, skipped) = Sweep.combinations(of: axes, base: chessSpec(capacity: 10))
        // For upscaleMargin u, downscaleMargin 15...u+10 breaks the rule: u - 4 values for u of 5 or more.
        let expectedSkipped = (5...20).reduce(0) { $0 + $1 - 4 }
        #expect(skipped.values.reduce(0, +) == expectedSkipped)
        #expect(valid.count == 19 * 46 - expectedSkipped)
        #expect(valid.allSatisfy { $0[1] - $0[0] > 10 })
        #expect(valid.first == [2, 15] && valid.last == [20, 60])
    }

    static let fronts: [FrontCase] = [
        FrontCase(name: "a trade-off curve is all front", points: [(10, 5), (12, 3), (15, 0)], front: [0, 1, 2]),
        FrontCase(name: "a point beaten on both is off the front", points: [(10, 5), (11, 6), (15, 0)], front: [0, 2]),
        FrontCase(name: "equal cost: only the lower backup", points: [(10, 5), (10, 3)], front: [1]),
        FrontCase(name: "equal backup: only the lower cost", points: [(12, 0), (10, 0)], front: [1]),
        FrontCase(name: "identical points are both on the front", points: [(10, 1), (10, 1), (9, 4)], front: [0, 1, 2]),
        FrontCase(name: "no points, no front", points: [], front: []),
    ]

    @Test("the Pareto front holds exactly the points nothing beats on both", arguments: fronts)
    func paretoFront(_ c: FrontCase) {
        #expect(ParetoFront.indices(of: c.points) == c.front)
    }

    @Test("a sweep's table marks the front and compares with the config as it is")
    func sweepTable() throws {
        let axes = [try SweepAxis(parsing: "upscaleMargin=5,60"), try SweepAxis(parsing: "downscaleMargin=30,90")]
        let trace = smallTournament(baseline: 8, entrants: 300, start: 20, minutes: 45)
        let result = Sweep.run(spec: chessSpec(), trace: trace, settings: testSettings(warmUp: .seconds(600)), axes: axes)
        // (60, 30) breaks the gap rule.
        #expect(result.cells.map(\.values) == [[5, 30], [5, 90], [60, 90]])
        #expect(result.skipped.values.reduce(0, +) == 1)
        #expect(result.cells.contains { $0.onParetoFront })
        let text = result.text()
        #expect(text.contains("4 combinations: 3 run, 1 skipped"))
        #expect(text.contains("Pareto front, cheapest first:"))
        #expect(text.contains("as configured (upscaleMargin=10 downscaleMargin=40): gamefleet "))
    }
}

@Suite("Demand policy in the simulator")
struct DemandSimulationTests {
    /// A tournament's rounds, 600 entrants every 12 minutes: the margin policy meets each round with
    /// its margins, the demand policy with the room the previous round needed (held, decaying).
    static func rounds() -> Trace {
        var arrivals = Array(repeating: 10, count: 90)
        for start in stride(from: 20, to: 80, by: 12) { arrivals[start] += 600 }
        return Trace(name: "rounds", arrivals: arrivals, session: SessionLength(meanSeconds: 600, spreadSeconds: 180))
    }

    @Test func theDemandPolicyMeetsLaterRoundsTheMarginPolicyMisses() {
        var demand = chessSpec()
        demand.scaling.policy = .demand
        let report = Simulation.report(spec: demand, trace: Self.rounds(), settings: testSettings()).report
        let (d, m) = (report.gamefleet, report.otherPolicy)
        #expect(d.policy == .demand && m.policy == .margin)
        // The first round comes unannounced; later ones find room under demand.
        #expect(d.playersSentToBackup * 3 < m.playersSentToBackup, "demand \(d.playersSentToBackup), margin \(m.playersSentToBackup)")
        #expect(d.playersOnStoppedServers == 0 && m.playersOnStoppedServers == 0)
    }

    @Test func aScheduleEntryPrewarmsForTheFirstRound() throws {
        var scheduled = chessSpec()
        scheduled.scaling.policy = .demand
        // The trace starts on FleetSimulator's epoch, a Monday at 00:00 UTC: the first round is at 00:20.
        scheduled.scaling.schedule = [ScheduleWindow(cron: try CronExpression(parsing: "20 0 * * mon"), timeZone: TimeZone(identifier: "UTC")!,
                                                     duration: .seconds(3600), minFreeSlots: 700)]
        var plain = scheduled
        plain.scaling.schedule = []
        let withSchedule = Simulation.run(spec: scheduled, trace: Self.rounds(), settings: testSettings()).outcome
        let without = Simulation.run(spec: plain, trace: Self.rounds(), settings: testSettings()).outcome
        #expect(withSchedule.playersSentToBackup * 5 < without.playersSentToBackup, "with \(withSchedule.playersSentToBackup), without \(without.playersSentToBackup)")
    }

    @Test func aSweepVariesThePolicy() throws {
        let result = Sweep.run(spec: chessSpec(), trace: Self.rounds(), settings: testSettings(), axes: [try SweepAxis(parsing: "policy=margin,demand")])
        #expect(result.cells.map { $0.outcome.policy } == [.margin, .demand])
        #expect(result.text().contains("policy=demand"))
    }
}
