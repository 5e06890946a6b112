import Foundation
import Testing
@testable import FleetSimulation

/// Trace values past what any simulation can replay are refused with the file, line and field,
/// instead of crashing (minute 10^12, a session mean of 1e300) or running forever (2^63-1 arrivals).
@Suite("Trace bounds")
struct TraceBoundsTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a minute of 10^12", text: "# session_mean_minutes: 10\nminute,arrivals\n0,1\n1000000000000,5\n",
             expected: "t.csv:4:1: minute: must be at most 525599 (traces are at most a year of minutes), got 1000000000000"),
        Case(name: "a minute past Int.max", text: "minute,arrivals\n99999999999999999999999,5\n",
             expected: "t.csv:2:1: minute: must be at most 525599 (traces are at most a year of minutes), got 99999999999999999999999"),
        Case(name: "2^63-1 arrivals in a minute", text: "minute,arrivals\n0,9223372036854775807\n",
             expected: "t.csv:2:3: arrivals: must be at most 100000 players a minute, got 9223372036854775807"),
        Case(name: "arrivals past Int.max", text: "minute,arrivals\n0,99999999999999999999999\n",
             expected: "t.csv:2:3: arrivals: must be at most 100000 players a minute, got 99999999999999999999999"),
        Case(name: "a session mean of 1e300 minutes", text: "# session_mean_minutes: 1e300\nminute,arrivals\n0,1\n",
             expected: "t.csv:1:25: session_mean_minutes: must be at most 10080 minutes (a week), got '1e300'"),
        Case(name: "a session mean of 1e-320 minutes (found by fuzzing: the simulation never ended)",
             text: "# session_mean_minutes: 1e-320\n# session_spread_minutes: 6\nminute,arrivals\n0,1\n",
             expected: "t.csv:1:25: session_mean_minutes: must be at least 0.01 minutes, got '1e-320'"),
        Case(name: "a session spread of 1e300 minutes", text: "# session_mean_minutes: 10\n# session_spread_minutes: 1e300\nminute,arrivals\n0,1\n",
             expected: "t.csv:2:27: session_spread_minutes: must be at most 10080 minutes (a week), got '1e300'"),
    ]

    @Test(arguments: cases)
    func refuses(_ c: Case) {
        let error = #expect(throws: TraceError.self) { try Trace.parse(c.text, file: "t.csv") }
        #expect(error?.description == c.expected)
    }

    /// The bounds themselves are accepted.
    @Test func theBoundsThemselvesParse() throws {
        let trace = try Trace.parse("# session_mean_minutes: 10080\n# session_spread_minutes: 10080\nminute,arrivals\n0,100000\n", file: "t.csv")
        #expect(trace.arrivals == [100_000])
        #expect(trace.session == SessionLength(meanSeconds: 604_800, spreadSeconds: 604_800))
    }

    /// A degenerate session length (a mean far too small for its spread, as `--session-mean 1ms`
    /// with a week's spread) draws finite lengths, so a simulation over it ends.
    @Test func aDegenerateSessionLengthStillDrawsFiniteLengths() {
        var random = SimulationRandom(seed: 1, stream: 0)
        for mean in [1e-320, 1e-3] {
            let length = SessionLength(meanSeconds: mean, spreadSeconds: 604_800)
            for _ in 0..<100 { #expect(length.draw(using: &random).isFinite) }
        }
    }

    /// `--sweep` values obey fleet.yaml's bounds too: a sweep cannot build a spec the loader refuses.
    @Test(arguments: ["capacity=9223372036854775807", "capacity=1...9223372036854775807/1000000000000000000", "maxServers=100001", "upscaleMargin=1,99999999999"])
    func sweepsStayWithinTheBounds(_ text: String) {
        let error = #expect(throws: SweepError.self) { try SweepAxis(parsing: text) }
        #expect(error?.description.contains("at most") == true)
    }
}
