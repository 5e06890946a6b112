/// Durations as fleet.yaml writes them: a whole number followed by a unit, such as `500ms`, `10s`,
/// `2m` or `1h`. Compound forms (`1m30s`) are accepted too.
public enum DurationText {
    /// What a text turned out to be.
    public enum Reading: Sendable, Equatable {
        /// A duration; zero or more, at most ``longest``.
        case duration(Duration)
        /// Written like a duration but longer than ``longest`` (about 292 million years), where
        /// whole milliseconds stop fitting in 64 bits: past any field's bound, however it is read.
        case tooLong
        /// Not a duration: empty, a missing or unknown unit, a sign, a fraction.
        case malformed
    }

    /// The longest duration any text reads as: `Int64.max` milliseconds.
    public static let longest: Duration = .milliseconds(Int64.max)

    /// Reads a duration, telling a malformed text from one too long to hold.
    /// Arithmetic is checked, so no text can trap.
    public static func read(_ text: String) -> Reading {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        var rest = Substring(text)
        var totalMilliseconds: Int64 = 0
        var overflowed = false
        guard !rest.isEmpty else { return .malformed }
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty else { return .malformed }
            rest = rest.dropFirst(digits.count)
            let unitText = rest.prefix(while: { $0.isLetter })
            guard let unit = units.first(where: { $0.0 == unitText })?.1 else { return .malformed }
            rest = rest.dropFirst(unitText.count)
            // Keep reading after an overflow, so a malformed tail is still reported as malformed.
            guard !overflowed, let value = Int64(digits) else { overflowed = true; continue }
            let (part, productOverflow) = value.multipliedReportingOverflow(by: unit)
            let (sum, sumOverflow) = totalMilliseconds.addingReportingOverflow(part)
            if productOverflow || sumOverflow { overflowed = true } else { totalMilliseconds = sum }
        }
        return overflowed ? .tooLong : .duration(.milliseconds(totalMilliseconds))
    }

    /// Parses a duration. Returns nil for an empty string, a missing or unknown unit, a negative value,
    /// or one longer than ``longest``. `0s` parses; whether zero is allowed is up to the field.
    public static func parse(_ text: String) -> Duration? {
        if case .duration(let duration) = read(text) { return duration }
        return nil
    }

    /// Formats a duration the way fleet.yaml writes it, choosing the largest unit that divides it
    /// exactly (`90s` stays `90s`, `120s` becomes `2m`, `1500ms` stays `1500ms`). Durations past
    /// ``longest`` (none that fleet.yaml can hold) are shown as their milliseconds clamped to it.
    public static func format(_ duration: Duration) -> String {
        let ms = duration.milliseconds
        if ms == 0 { return "0s" }
        if ms % 3_600_000 == 0 { return "\(ms / 3_600_000)h" }
        if ms % 60_000 == 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }

    /// `seconds` as whole seconds for a reason text (`7200s`). A time from a broken provider answer
    /// or observed-state file can be further off than an Int counts: shown as it is, never a trap.
    public static func wholeSeconds(_ seconds: Double) -> String {
        seconds.magnitude < 1e15 ? "\(Int(seconds))s" : "\(seconds)s"
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded toward zero, clamped to what Int64 holds.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, sumOverflow) = whole.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        if sumOverflow { return whole < 0 ? .min : .max }
        return total
    }

    /// The duration in seconds as a floating-point number.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

}
