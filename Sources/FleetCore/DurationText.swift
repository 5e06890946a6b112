/// Durations as fleet.yaml writes them: a whole number followed by a unit, such as `500ms`, `10s`,
/// `2m` or `1h`. Compound forms (`1m30s`) are accepted too.
public enum DurationText {
    /// Parses a duration. Returns nil for an empty string, a missing or unknown unit, or a negative value.
    /// `0s` parses; whether zero is allowed is up to the field.
    public static func parse(_ text: String) -> Duration? {
        let units: [(String, Duration)] = [
            ("ms", .milliseconds(1)), ("s", .seconds(1)), ("m", .seconds(60)), ("h", .seconds(3600)),
        ]
        var rest = Substring(text)
        var total = Duration.zero
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, let value = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unitText = rest.prefix(while: { $0.isLetter })
            guard let unit = units.first(where: { $0.0 == unitText })?.1 else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += unit * value
        }
        return total
    }

    /// Formats a duration the way fleet.yaml writes it, choosing the largest unit that divides it
    /// exactly (`90s` stays `90s`, `120s` becomes `2m`, `1500ms` stays `1500ms`).
    public static func format(_ duration: Duration) -> String {
        let ms = duration.milliseconds
        if ms == 0 { return "0s" }
        if ms % 3_600_000 == 0 { return "\(ms / 3_600_000)h" }
        if ms % 60_000 == 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded toward zero.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// The duration in seconds as a floating-point number.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
