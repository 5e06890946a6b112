import Foundation

/// A load trace: how many players arrive in each minute, and how long their sessions last.
///
/// The CSV form, as `gamefleet simulate --trace` reads it:
/// ```
/// # A free-text comment: any line starting with '#'.
/// # name: day-evening-peak
/// # session_mean_minutes: 12
/// # session_spread_minutes: 6
/// minute,arrivals
/// 0,41
/// 1,39
/// ```
/// - Comment lines start with `#`. A comment of the form `# key: value` whose key is a single word of
///   lowercase letters and underscores is metadata; the known keys are `name`, `session_mean_minutes`
///   (more than 0) and `session_spread_minutes` (0 or more; default 0). Any other such key is an error,
///   so a misspelt key is not silently ignored. Metadata may appear anywhere in the file.
/// - The first other non-blank line is the header, exactly `minute,arrivals`.
/// - Each row is `minute,arrivals`: whole numbers, minutes from 0 in increasing order, arrivals 0 or
///   more. A minute left out has no arrivals. The trace lasts until the end of its last row's minute.
/// - Blank lines are skipped; spaces around fields and Windows line endings are accepted.
/// - Arrivals within a minute are spread evenly over it.
public struct Trace: Sendable, Equatable {
    /// What the trace is called in reports; the `name` metadata, or what the caller chose.
    public var name: String
    /// Arrivals in each minute; index 0 is the trace's first minute.
    public var arrivals: [Int]
    /// Session lengths, when the trace says; nil when the file has no `session_mean_minutes`.
    public var session: SessionLength?

    /// A trace from its parts; `arrivals[m]` players arrive in minute `m`.
    public init(name: String, arrivals: [Int], session: SessionLength?) {
        self.name = name
        self.arrivals = arrivals
        self.session = session
    }

    /// The trace's length in minutes.
    public var minutes: Int { arrivals.count }

    /// Every player the trace brings.
    public var totalArrivals: Int { arrivals.reduce(0, +) }

    /// The last minute a row may name: a trace is at most a year of minutes long, so the arrivals
    /// array it becomes stays small and a typo cannot ask for terabytes.
    public static let latestMinute = 525_599
    /// The most players a row may bring in its minute; past it a run would take days, and an absurd
    /// count (2^63-1) would never end.
    public static let maxArrivalsPerMinute = 100_000
    /// The longest session mean and spread a trace (or `--session-mean`/`--session-spread`) may give,
    /// in minutes: a week. Past it the session sampler's arithmetic loses meaning (1e300 minutes).
    public static let longestSessionMinutes: Double = 10_080
    /// The shortest session mean a trace may give, in minutes (0.6 s): a tinier one (a denormal such
    /// as 1e-320) makes the sampler's spread-to-mean ratio infinite.
    public static let shortestSessionMeanMinutes: Double = 0.01

    /// The metadata keys the CSV form knows.
    public static let metadataKeys = ["name", "session_mean_minutes", "session_spread_minutes"]

    /// Parses the CSV form. `file` names the source in errors; `defaultName` is used when the file
    /// has no `name` metadata. Throws on the first malformed line, naming its line and column.
    public static func parse(_ text: String, file: String, defaultName: String = "trace") throws(TraceError) -> Trace {
        var name: String?
        var mean: Double?
        var spread: Double?
        var sawHeader = false
        var arrivals: [Int] = []
        var lastMinute = -1

        func fail(_ line: Int, _ column: Int, _ field: String, _ message: String) -> TraceError {
            TraceError(file: file, line: line, column: column, field: field, message: message)
        }

        var lineNumber = 0
        // Splitting on any newline Character handles "\r\n", which Swift keeps as one Character.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix("#") {
                guard let (key, value, valueColumn) = metadata(in: line) else { continue }
                switch key {
                case "name":
                    guard !value.isEmpty else { throw fail(lineNumber, valueColumn, key, "expected a name, got nothing") }
                    name = value
                case "session_mean_minutes":
                    guard let number = Double(value), number.isFinite, number > 0 else {
                        throw fail(lineNumber, valueColumn, key, "expected a number of minutes more than 0, got '\(value)'")
                    }
                    guard number <= longestSessionMinutes else {
                        throw fail(lineNumber, valueColumn, key, "must be at most \(Int(longestSessionMinutes)) minutes (a week), got '\(value)'")
                    }
                    // A mean of 1e-320 made the spread-to-mean ratio infinite and the simulation loop forever.
                    guard number >= shortestSessionMeanMinutes else {
                        throw fail(lineNumber, valueColumn, key, "must be at least \(shortestSessionMeanMinutes) minutes, got '\(value)'")
                    }
                    mean = number
                case "session_spread_minutes":
                    guard let number = Double(value), number.isFinite, number >= 0 else {
                        throw fail(lineNumber, valueColumn, key, "expected a number of minutes, 0 or more, got '\(value)'")
                    }
                    guard number <= longestSessionMinutes else {
                        throw fail(lineNumber, valueColumn, key, "must be at most \(Int(longestSessionMinutes)) minutes (a week), got '\(value)'")
                    }
                    spread = number
                default:
                    throw fail(lineNumber, 3, key, "unknown metadata key; the known keys are \(metadataKeys.joined(separator: ", ")) (a free-text comment must not start with 'word:')")
                }
                continue
            }
            if !sawHeader {
                let header = trimmed.split(separator: ",", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                guard header == ["minute", "arrivals"] else {
                    throw fail(lineNumber, 1, "", "expected the header 'minute,arrivals', got '\(trimmed)'")
                }
                sawHeader = true
                continue
            }
            let fields = fieldsWithColumns(line)
            guard fields.count == 2 else {
                throw fail(lineNumber, fields.count > 2 ? fields[2].column : 0, "",
                           "expected 2 fields (minute,arrivals), got \(fields.count)")
            }
            // Bounded before anything is sized by it, however it is written: digits too many for an
            // Int, or a number Int reads with a sign ("+4294967295" once sized a 32 GB array: found
            // by fuzzing).
            if isDigits(fields[0].text), Int(fields[0].text) == nil {
                throw fail(lineNumber, fields[0].column, "minute", "must be at most \(Trace.latestMinute) (traces are at most a year of minutes), got \(fields[0].text)")
            }
            guard let minute = Int(fields[0].text), minute >= 0 else {
                throw fail(lineNumber, fields[0].column, "minute", "expected a whole number of minutes, 0 or more, got '\(fields[0].text)'")
            }
            guard minute <= Trace.latestMinute else {
                throw fail(lineNumber, fields[0].column, "minute", "must be at most \(Trace.latestMinute) (traces are at most a year of minutes), got \(fields[0].text)")
            }
            guard minute > lastMinute else {
                throw fail(lineNumber, fields[0].column, "minute", "minutes must increase from row to row; \(minute) follows \(lastMinute)")
            }
            if isDigits(fields[1].text), Int(fields[1].text) == nil {
                throw fail(lineNumber, fields[1].column, "arrivals", "must be at most \(maxArrivalsPerMinute) players a minute, got \(fields[1].text)")
            }
            guard let count = Int(fields[1].text), count >= 0 else {
                throw fail(lineNumber, fields[1].column, "arrivals", "expected a whole number of players, 0 or more, got '\(fields[1].text)'")
            }
            guard count <= Trace.maxArrivalsPerMinute else {
                throw fail(lineNumber, fields[1].column, "arrivals", "must be at most \(maxArrivalsPerMinute) players a minute, got \(fields[1].text)")
            }
            if minute > lastMinute + 1 {
                arrivals.append(contentsOf: repeatElement(0, count: minute - lastMinute - 1))
            }
            arrivals.append(count)
            lastMinute = minute
        }
        guard sawHeader else { throw fail(0, 0, "", "no header; a trace starts with the line 'minute,arrivals' (after any '#' comments)") }
        guard !arrivals.isEmpty else { throw fail(0, 0, "", "no rows after the header; each row is 'minute,arrivals'") }
        if spread != nil && mean == nil {
            throw fail(0, 0, "session_spread_minutes", "given without session_mean_minutes")
        }
        let session = mean.map { SessionLength(meanSeconds: $0 * 60, spreadSeconds: (spread ?? 0) * 60) }
        return Trace(name: name ?? defaultName, arrivals: arrivals, session: session)
    }

    /// The CSV form; parsing it gives this trace back.
    public func csv(comments: [String] = []) -> String {
        var text = comments.map { "# " + $0 + "\n" }.joined()
        text += "# name: \(name)\n"
        if let session {
            text += "# session_mean_minutes: \(Self.minutesText(session.meanSeconds))\n"
            text += "# session_spread_minutes: \(Self.minutesText(session.spreadSeconds))\n"
        }
        text += "minute,arrivals\n"
        text.reserveCapacity(text.utf8.count + arrivals.count * 10)
        for (minute, count) in arrivals.enumerated() {
            text += "\(minute),\(count)\n"
        }
        return text
    }

    /// Minutes without a trailing `.0` for whole numbers.
    private static func minutesText(_ seconds: Double) -> String {
        let minutes = seconds / 60
        return minutes == minutes.rounded() && minutes.magnitude < 1e15 ? String(Int(minutes)) : String(minutes)
    }

    /// True for a run of ASCII digits (a whole number 0 or more, of any size).
    private static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `# key: value` → the key, the value and the value's 1-based column; nil for free text.
    private static func metadata(in line: Substring) -> (String, String, Int)? {
        let afterHash = line.drop(while: { $0 == " " || $0 == "\t" }).dropFirst()
        let body = afterHash.drop(while: { $0 == " " || $0 == "\t" })
        guard let colon = body.firstIndex(of: ":") else { return nil }
        let key = body[..<colon]
        guard !key.isEmpty, key.allSatisfy({ ($0 >= "a" && $0 <= "z") || $0 == "_" }) else { return nil }
        let rest = body[body.index(after: colon)...]
        let value = rest.drop(while: { $0 == " " || $0 == "\t" })
        let column = line.distance(from: line.startIndex, to: value.startIndex) + 1
        return (String(key), value.trimmingCharacters(in: .whitespaces), column)
    }

    /// A row's comma-separated fields, trimmed, each with the 1-based column where its text starts.
    /// Stops after the third field: a row needs two, and the third is only there to be pointed at,
    /// so a hostile row of 50,000 commas costs no more than a good one (columns are counted from the
    /// line's start, which made every field cost the whole line before).
    private static func fieldsWithColumns(_ line: Substring) -> [(text: String, column: Int)] {
        var result: [(String, Int)] = []
        var start = line.startIndex
        while result.count < 3 {
            let end = line[start...].firstIndex(of: ",") ?? line.endIndex
            let raw = line[start..<end]
            let leading = raw.prefix(while: { $0 == " " || $0 == "\t" }).count
            let column = line.distance(from: line.startIndex, to: start) + leading + 1
            result.append((raw.trimmingCharacters(in: .whitespaces), column))
            guard end < line.endIndex else { break }
            start = line.index(after: end)
        }
        return result
    }
}
