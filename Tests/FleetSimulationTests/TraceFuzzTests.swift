import Foundation
import FleetCore
import FuzzSupport
import PropertyBased
import Testing
@testable import FleetSimulation

/// Mutated copies of the shipped traces: parsing never crashes or hangs, refuses with the file, line
/// and field, and what it accepts stays inside the trace bounds; accepted session lengths and the
/// first minutes of accepted arrivals are simulated without trapping.
@Suite("Fuzzing trace files")
struct TraceFuzzTests {
    /// The shipped traces are long (a week is 10,080 rows); their first 120 lines keep each case cheap
    /// while holding every kind of line (metadata, header, rows, left-out minutes).
    static let mutator = Mutator(
        seeds: Fuzz.seeds(["examples/traces/day.csv", "examples/traces/tournament.csv", "examples/traces/week.csv"]).map { seed in
            Array(seed.split(separator: UInt8(ascii: "\n"), maxSplits: 120, omittingEmptySubsequences: false).prefix(120).joined(separator: [UInt8(ascii: "\n")]))
        },
        nesting: ["#", ",", "# name: "],
        dictionary: ["# session_mean_minutes: ", "# session_spread_minutes: ", "# name: ", "minute,arrivals\n", "\r\n", ",", "#", "1e300", "nan"])

    enum Outcome: Sendable {
        case accepted(problems: [String])
        case refused(TraceError)
    }

    static func check(_ text: String) -> Outcome {
        let trace: Trace
        do {
            trace = try Trace.parse(text, file: "fuzz.csv")
        } catch {
            return .refused(error)
        }
        var problems: [String] = []
        if trace.minutes > Trace.latestMinute + 1 { problems.append("\(trace.minutes) minutes") }
        if let worst = trace.arrivals.max(), worst > Trace.maxArrivalsPerMinute { problems.append("\(worst) arrivals in a minute") }
        if let session = trace.session,
           !(session.meanSeconds > 0 && session.meanSeconds <= Trace.longestSessionMinutes * 60
             && session.spreadSeconds >= 0 && session.spreadSeconds <= Trace.longestSessionMinutes * 60) {
            problems.append("session \(session)")
        }
        // The simulator over the accepted session lengths, on the first few minutes with few players.
        let clipped = Trace(name: trace.name, arrivals: trace.arrivals.prefix(5).map { min($0, 20) },
                            session: trace.session ?? SessionLength(meanSeconds: 600, spreadSeconds: 0))
        let settings = SimulationSettings(seed: 1, startupDelay: .seconds(30), startupJitter: .seconds(5), failuresPerServerHour: 0.01,
                                          warmUp: .zero, timelineBuckets: 5, verifyAllocations: false)
        let (report, _) = Simulation.report(spec: chessSpec(), trace: clipped, settings: settings)
        if report.gamefleet.playersOnStoppedServers > 0 { problems.append("players on stopped servers") }
        _ = clipped.csv()
        return .accepted(problems: problems)
    }

    @Test func noMutatedTraceCrashesHangsOrIsRefusedWithoutALocation() async {
        await Fuzz.run(Self.mutator, check: { Self.check($0.text) }) { input, outcome in
            switch outcome {
            case .accepted(let problems):
                #expect(problems.isEmpty, "\(problems) from \(input)")
            case .refused(let error):
                #expect(error.file == "fuzz.csv" && !error.message.isEmpty, "an unclear refusal \(error) from \(input)")
                // Whole-file problems (no header, no rows, spread without mean) have line 0; a row's has its line.
                #expect(error.line > 0 || error.field.isEmpty || error.field == "session_spread_minutes",
                        "a field error without its line: \(error) from \(input)")
            }
        }
    }
}
