import FleetCore
import Foundation
import Testing
@testable import FleetSimulation

@Suite("Same inputs, same report")
struct DeterminismTests {
    @Test("the same seed, trace and config give the same text, JSON and chart, byte for byte")
    func sameSeedSameBytes() {
        let spec = chessSpec()
        let trace = smallTournament()
        let first = Simulation.report(spec: spec, trace: trace, settings: testSettings(seed: 42))
        let second = Simulation.report(spec: spec, trace: trace, settings: testSettings(seed: 42))
        #expect(first.report.text() == second.report.text())
        #expect(first.report.json() == second.report.json())
        #expect(SVGChart.render(first.timeline, report: first.report) == SVGChart.render(second.timeline, report: second.report))
    }

    @Test("another seed gives another run")
    func anotherSeedAnotherRun() {
        let spec = chessSpec()
        let trace = smallTournament()
        let first = Simulation.report(spec: spec, trace: trace, settings: testSettings(seed: 1)).report
        let second = Simulation.report(spec: spec, trace: trace, settings: testSettings(seed: 2)).report
        #expect(first.json() != second.json())
    }

    @Test("a sweep's output does not depend on how its runs were scheduled")
    func sweepIsScheduleIndependent() throws {
        let spec = chessSpec()
        let trace = flatTrace(perMinute: 8, minutes: 40)
        let axes = [try SweepAxis(parsing: "upscaleMargin=5...15/5"), try SweepAxis(parsing: "downscaleMargin=20,30")]
        var settings = testSettings(warmUp: .seconds(600))
        settings.verifyAllocations = false
        let parallel = Sweep.run(spec: spec, trace: trace, settings: settings, axes: axes)
        let again = Sweep.run(spec: spec, trace: trace, settings: settings, axes: axes)
        #expect(parallel.text() == again.text())
        #expect(parallel.json() == again.json())
        // Each cell equals the same settings run alone, on this thread.
        for cell in parallel.cells {
            let alone = Simulation.run(spec: Sweep.apply(cell.values, axes, to: spec), trace: trace, settings: settings)
            #expect(alone.outcome == cell.outcome, "cell \(cell.values)")
        }
    }
}
