/// A five-field cron expression (`minute hour day-of-month month day-of-week`), as Kubernetes
/// CronJobs and crontab(5) write it, used by `scaling.schedule`.
///
/// Each field is `*`, a number, a range `a-b`, a step `*/n`, `a-b/n` or `a/n` (from `a` to the
/// field's end), or a comma-separated list of those. Months may be named `jan`…`dec` and weekdays
/// `sun`…`sat` (any case); weekday 0 and 7 are both Sunday. As in crontab, when both day-of-month
/// and day-of-week are restricted (neither starts with `*`), a day matches if either does.
/// Parsing needs no calendar: matching takes the wall-clock fields, already worked out.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    /// The text it was parsed from, trimmed.
    public let text: String
    let minutes: UInt64
    let hours: UInt64
    let daysOfMonth: UInt64
    let months: UInt64
    let daysOfWeek: UInt64
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    public var description: String { text }

    /// One field's name and range, for parsing and messages.
    struct FieldShape {
        let name: String
        let range: ClosedRange<Int>
        let names: [String]
        /// The first name's number (`jan` is 1, `sun` is 0).
        let firstNamed: Int
    }

    static let shapes: [FieldShape] = [
        FieldShape(name: "minute", range: 0...59, names: [], firstNamed: 0),
        FieldShape(name: "hour", range: 0...23, names: [], firstNamed: 0),
        FieldShape(name: "day of month", range: 1...31, names: [], firstNamed: 1),
        FieldShape(name: "month", range: 1...12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], firstNamed: 1),
        FieldShape(name: "day of week", range: 0...7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"], firstNamed: 0),
    ]

    /// Parses `text`; the error says which field is wrong and why.
    public init(parsing text: String) throws(CronError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else {
            throw CronError("expected 5 fields (minute hour day-of-month month day-of-week), such as '0 20 * * 5', got \(fields.count) in '\(text)'")
        }
        var sets: [UInt64] = []
        for (field, shape) in zip(fields, Self.shapes) {
            sets.append(try Self.parseField(String(field), shape))
        }
        // Sunday is 0 and 7: fold 7 onto 0.
        var weekdays = sets[4]
        if weekdays & (1 << 7) != 0 { weekdays = (weekdays & ~(1 << 7)) | 1 }
        self.text = fields.joined(separator: " ")
        minutes = sets[0]
        hours = sets[1]
        daysOfMonth = sets[2]
        months = sets[3]
        daysOfWeek = weekdays
        dayOfMonthRestricted = !fields[2].hasPrefix("*")
        dayOfWeekRestricted = !fields[4].hasPrefix("*")
        if daysOfMonth & Self.possibleDays(months) == 0 {
            throw CronError("'\(text)' never fires: no month it names has the days of month it names")
        }
    }

    /// The days of month (as a bit set) that exist in at least one of `months`.
    static func possibleDays(_ months: UInt64) -> UInt64 {
        let longest = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var days: UInt64 = 0
        for month in 1...12 where months & (1 << UInt64(month)) != 0 {
            for day in 1...longest[month] { days |= 1 << UInt64(day) }
        }
        return days
    }

    static func parseField(_ field: String, _ shape: FieldShape) throws(CronError) -> UInt64 {
        var set: UInt64 = 0
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
            guard !part.isEmpty else { throw CronError("\(shape.name) field '\(field)': an empty item in the list") }
            var body = Substring(part)
            var step = 1
            if let slash = part.firstIndex(of: "/") {
                let stepText = part[part.index(after: slash)...]
                guard let parsed = Int(stepText), parsed >= 1, parsed <= shape.range.upperBound + 1 else {
                    throw CronError("\(shape.name) field '\(field)': the step after '/' must be a whole number from 1 to \(shape.range.upperBound + 1), got '\(stepText)'")
                }
                step = parsed
                body = part[..<slash]
            }
            var low: Int, high: Int
            if body == "*" {
                low = shape.range.lowerBound
                high = shape.range.upperBound
            } else if let dash = body.firstIndex(of: "-") {
                low = try value(body[..<dash], field, shape)
                high = try value(body[body.index(after: dash)...], field, shape)
                guard low <= high else {
                    throw CronError("\(shape.name) field '\(field)': the range \(body) runs backwards (write the lower value first)")
                }
            } else {
                low = try value(body, field, shape)
                // `a/n` runs from a to the field's end, as in cronie.
                high = step > 1 || part.contains("/") ? shape.range.upperBound : low
            }
            for v in stride(from: low, through: high, by: step) { set |= 1 << UInt64(v) }
        }
        return set
    }

    static func value(_ text: Substring, _ field: String, _ shape: FieldShape) throws(CronError) -> Int {
        if let number = Int(text), text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard shape.range.contains(number) else {
                throw CronError("\(shape.name) field '\(field)': \(number) is outside \(shape.range.lowerBound)-\(shape.range.upperBound)")
            }
            return number
        }
        if let index = shape.names.firstIndex(of: text.lowercased()) { return index + shape.firstNamed }
        let accepted = shape.names.isEmpty ? "" : " or a name (\(shape.names.joined(separator: ", ")))"
        throw CronError("\(shape.name) field '\(field)': '\(text)' is not a number from \(shape.range.lowerBound) to \(shape.range.upperBound)\(accepted)")
    }

    /// True when the expression fires at this wall-clock minute. `weekday` is 0 (Sunday) to 6.
    public func matches(month: Int, day: Int, weekday: Int, hour: Int, minute: Int) -> Bool {
        guard minutes & (1 << UInt64(minute)) != 0, hours & (1 << UInt64(hour)) != 0,
              months & (1 << UInt64(month)) != 0 else { return false }
        let dom = daysOfMonth & (1 << UInt64(day)) != 0
        let dow = daysOfWeek & (1 << UInt64(weekday)) != 0
        if dayOfMonthRestricted && dayOfWeekRestricted { return dom || dow }
        return dom && dow
    }
}

/// A cron expression that cannot be parsed, with what is wrong.
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
