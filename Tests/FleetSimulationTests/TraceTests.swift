import Foundation
import Testing
@testable import FleetSimulation

/// A malformed trace and the error it must give.
struct MalformedTraceCase: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let expected: String
    var testDescription: String { name }
}

@Suite("Trace files")
struct TraceTests {
    static let header = "# session_mean_minutes: 12\nminute,arrivals\n"

    static let malformed: [MalformedTraceCase] = [
        MalformedTraceCase(name: "an arrivals field that is not a number names its line and column",
                           text: header + "0,5\n1,x1\n", expected: "t.csv:4:3: arrivals: expected a whole number of players, 0 or more, got 'x1'"),
        MalformedTraceCase(name: "negative arrivals",
                           text: header + "0,-3\n", expected: "t.csv:3:3: arrivals: expected a whole number of players, 0 or more, got '-3'"),
        MalformedTraceCase(name: "a minute that is not a number",
                           text: header + "zero,5\n", expected: "t.csv:3:1: minute: expected a whole number of minutes, 0 or more, got 'zero'"),
        MalformedTraceCase(name: "a minute past a year written with a sign (once sized a 32 GB array: found by fuzzing)",
                           text: header + "+4294967295,1\n", expected: "t.csv:3:1: minute: must be at most \(Trace.latestMinute) (traces are at most a year of minutes), got +4294967295"),
        MalformedTraceCase(name: "arrivals past the bound written with a sign",
                           text: header + "0,+99999999999\n", expected: "t.csv:3:3: arrivals: must be at most \(Trace.maxArrivalsPerMinute) players a minute, got +99999999999"),
        MalformedTraceCase(name: "minutes going backwards",
                           text: header + "0,5\n2,5\n1,5\n", expected: "t.csv:5:1: minute: minutes must increase from row to row; 1 follows 2"),
        MalformedTraceCase(name: "a repeated minute",
                           text: header + "0,5\n0,6\n", expected: "t.csv:4:1: minute: minutes must increase from row to row; 0 follows 0"),
        MalformedTraceCase(name: "a third field names its column",
                           text: header + "0,5,7\n", expected: "t.csv:3:5: expected 2 fields (minute,arrivals), got 3"),
        MalformedTraceCase(name: "a single field",
                           text: header + "0\n", expected: "t.csv:3: expected 2 fields (minute,arrivals), got 1"),
        MalformedTraceCase(name: "a spaced field's column is where its text starts",
                           text: header + "0,  abc\n", expected: "t.csv:3:5: arrivals: expected a whole number of players, 0 or more, got 'abc'"),
        MalformedTraceCase(name: "a wrong header",
                           text: "minute,players\n0,5\n", expected: "t.csv:1:1: expected the header 'minute,arrivals', got 'minute,players'"),
        MalformedTraceCase(name: "no header at all",
                           text: "# just a comment\n", expected: "t.csv: no header; a trace starts with the line 'minute,arrivals' (after any '#' comments)"),
        MalformedTraceCase(name: "a header without rows",
                           text: header, expected: "t.csv: no rows after the header; each row is 'minute,arrivals'"),
        MalformedTraceCase(name: "a session mean that is not a number names the value's column",
                           text: "# session_mean_minutes: soon\nminute,arrivals\n0,1\n",
                           expected: "t.csv:1:25: session_mean_minutes: expected a number of minutes more than 0, got 'soon'"),
        MalformedTraceCase(name: "a zero session mean",
                           text: "# session_mean_minutes: 0\nminute,arrivals\n0,1\n",
                           expected: "t.csv:1:25: session_mean_minutes: expected a number of minutes more than 0, got '0'"),
        MalformedTraceCase(name: "a misspelt metadata key is not ignored",
                           text: "# session_men_minutes: 12\nminute,arrivals\n0,1\n",
                           expected: "t.csv:1:3: session_men_minutes: unknown metadata key; the known keys are name, session_mean_minutes, session_spread_minutes (a free-text comment must not start with 'word:')"),
        MalformedTraceCase(name: "a spread without a mean",
                           text: "# session_spread_minutes: 3\nminute,arrivals\n0,1\n",
                           expected: "t.csv: session_spread_minutes: given without session_mean_minutes"),
    ]

    @Test("a malformed trace is refused with its file, line, column and field", arguments: malformed)
    func refused(_ c: MalformedTraceCase) {
        #expect(throws: TraceError.self) { try Trace.parse(c.text, file: "t.csv") }
        do {
            _ = try Trace.parse(c.text, file: "t.csv")
        } catch {
            #expect(error.description == c.expected)
        }
    }

    @Test("comments, blank lines, spaces, CRLF and left-out minutes are accepted")
    func lenientParts() throws {
        let text = "# A day: with a colon in free text\r\n# name: test\r\n# session_mean_minutes: 12.5\r\n"
            + "# session_spread_minutes: 4\r\n\r\nminute, arrivals\r\n0, 3\r\n\r\n# a comment between rows\r\n 3 ,7\r\n"
        let trace = try Trace.parse(text, file: "t.csv")
        #expect(trace.name == "test")
        #expect(trace.arrivals == [3, 0, 0, 7])
        #expect(trace.session == SessionLength(meanSeconds: 750, spreadSeconds: 240))
        #expect(trace.totalArrivals == 10)
    }

    @Test("a trace without metadata is named by the caller and has no session length")
    func defaults() throws {
        let trace = try Trace.parse("minute,arrivals\n0,1\n", file: "t.csv", defaultName: "t")
        #expect(trace.name == "t")
        #expect(trace.session == nil)
    }

    @Test("the CSV form parses back to the same trace")
    func roundTrip() throws {
        let trace = SyntheticTraces.tournament()
        #expect(try Trace.parse(trace.csv(comments: ["a comment"]), file: "t.csv") == trace)
    }

    @Test("the shipped traces are exactly what SyntheticTraces makes", arguments: SyntheticTraces.shippedFiles().map(\.name))
    func shippedTracesMatch(_ name: String) throws {
        let path = repositoryRoot.appendingPathComponent("examples/traces/\(name)").path
        let shipped = try String(contentsOfFile: path, encoding: .utf8)
        let made = SyntheticTraces.shippedFiles().first { $0.name == name }!.csv
        #expect(shipped == made, "regenerate \(name) from SyntheticTraces.shippedFiles()")
        _ = try Trace.parse(shipped, file: name)
    }

    @Test("the shipped traces have the shapes they promise")
    func shapes() {
        let day = SyntheticTraces.day()
        #expect(day.minutes == 1440)
        // The evening (18:00-23:00) is busier than the night (02:00-07:00) by far.
        #expect(day.arrivals[1080..<1380].reduce(0, +) > 3 * day.arrivals[120..<420].reduce(0, +))
        let tournament = SyntheticTraces.tournament()
        #expect(tournament.arrivals[60] >= 3_000)
        #expect(SyntheticTraces.week().minutes == 7 * 1440)
        // Bullet: games of 3 minutes, so a peak of 1,500 players brings about 500 a minute near 13:00,
        // and midday is busier than the evening.
        let bullet = SyntheticTraces.bullet()
        #expect(bullet.session == SessionLength(meanSeconds: 180, spreadSeconds: 120))
        let noon = bullet.arrivals[750..<810].reduce(0, +) / 60
        #expect((350...650).contains(noon), "\(noon) a minute at 12:30-13:30")
        #expect(noon > bullet.arrivals[1170..<1230].reduce(0, +) / 60)
        // Flash crowd: a few thousand within five minutes, after a quiet hour and a half.
        let flash = SyntheticTraces.flashCrowd()
        #expect(flash.arrivals[90..<95].reduce(0, +) >= 3_000)
        #expect(flash.arrivals[0..<90].max()! < 60)
        // Arenas: hundreds at once every 30 minutes from minute 15.
        let arenas = SyntheticTraces.arenas()
        for start in stride(from: 15, to: 360, by: 30) {
            #expect(arenas.arrivals[start] >= 300 + 50, "arena at minute \(start)")
            #expect(arenas.arrivals[start + 1] < 150)
        }
    }

    /// Writes the shipped traces when `GAMEFLEET_WRITE_TRACES` names a directory: how the files in
    /// examples/traces/ are regenerated after SyntheticTraces changes (the test above then passes).
    @Test func writeShippedTracesOnRequest() throws {
        guard let directory = ProcessInfo.processInfo.environment["GAMEFLEET_WRITE_TRACES"] else { return }
        for (name, csv) in SyntheticTraces.shippedFiles() {
            try csv.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
    }
}
