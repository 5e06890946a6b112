import Foundation
import Testing
@testable import FleetSimulation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A number and how the reports print it.
struct NumberCase: CustomTestStringConvertible, Sendable {
    let value: Double
    let places: Int
    let expected: String
    var testDescription: String { "\(value) with \(places) places" }
}

/// A length of time and how the reports print it.
struct DurationCase: CustomTestStringConvertible, Sendable {
    let seconds: Double
    let expected: String
    var testDescription: String { "\(seconds)s" }
}

@Suite("Reports")
struct ReportTests {
    static let numbers: [NumberCase] = [
        NumberCase(value: 1.125, places: 2, expected: "1.13"), NumberCase(value: 0.05, places: 2, expected: "0.05"),
        NumberCase(value: 3, places: 2, expected: "3.00"), NumberCase(value: 2760.06, places: 1, expected: "2760.1"),
        NumberCase(value: -1.5, places: 1, expected: "-1.5"), NumberCase(value: 0.0004, places: 2, expected: "0.00"),
        NumberCase(value: 9.999, places: 2, expected: "10.00"), NumberCase(value: 42, places: 0, expected: "42"),
    ]

    @Test("fixed-point numbers are rounded the same on every machine", arguments: numbers)
    func fixed(_ c: NumberCase) {
        #expect(NumberText.fixed(c.value, c.places) == c.expected)
    }

    static let durations: [DurationCase] = [
        DurationCase(seconds: 0, expected: "0s"), DurationCase(seconds: 45.4, expected: "45s"),
        DurationCase(seconds: 60, expected: "1m"), DurationCase(seconds: 130, expected: "2m10s"),
        DurationCase(seconds: 3600, expected: "1h"), DurationCase(seconds: 3720, expected: "1h02m"),
        DurationCase(seconds: 273_600, expected: "3d04h"),
    ]

    @Test("durations read as people write them", arguments: durations)
    func duration(_ c: DurationCase) {
        #expect(NumberText.duration(c.seconds) == c.expected)
    }

    @Test("grouped thousands", arguments: [(0, "0"), (999, "999"), (1000, "1,000"), (1_234_567, "1,234,567"), (-4200, "-4,200")])
    func grouped(_ value: Int, _ expected: String) {
        #expect(NumberText.grouped(value) == expected)
    }

    @Test("failure rates per hour or per day", arguments: [
        ("0.001/h", 0.001), ("0.024/d", 0.001), ("2", 2.0), ("0", 0.0),
    ])
    func failureRates(_ text: String, _ perHour: Double) {
        #expect(FailureRateText.parse(text) == perHour)
    }

    @Test("a failure rate that is not one is refused", arguments: ["", "-1/h", "1/w", "often", "1/"])
    func badFailureRates(_ text: String) {
        #expect(FailureRateText.parse(text) == nil)
    }

    @Test("the text report has the three columns and the verdict line")
    func textReport() {
        let report = Simulation.report(spec: chessSpec(), trace: smallTournament(), settings: testSettings()).report
        let text = report.text()
        #expect(text.contains("gamefleet, margin"))
        #expect(text.contains("demand policy"))
        #expect(report.otherPolicy.policy == .demand && report.gamefleet.policy == .margin && report.oldRules.policy == nil)
        #expect(text.contains("old rules"))
        #expect(text.contains("players on stopped servers"))
        let last = text.split(separator: "\n").last.map(String.init)
        #expect(last == report.verdict)
        #expect(report.verdict.hasPrefix("gamefleet (margin): \(NumberText.fixed(report.gamefleet.lowerBoundRatio, 2))× the lower bound, "))
    }

    @Test("the JSON report decodes back to the same report")
    func jsonRoundTrip() throws {
        let report = Simulation.report(spec: chessSpec(), trace: smallTournament(), settings: testSettings()).report
        let decoded = try JSONDecoder().decode(SimulationReport.self, from: Data(report.json().utf8))
        #expect(decoded == report)
    }

    @Test("the chart is well-formed SVG with the margins and the run's marks")
    func chart() {
        let (report, timeline) = Simulation.report(spec: chessSpec(), trace: smallTournament(), settings: testSettings())
        let svg = SVGChart.render(timeline, report: report)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("upscale margin 10"))
        #expect(svg.contains("downscale margin 40"))
        #expect(svg.contains("stroke=\"#27ae60\""), "launches are marked")
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    }
}
