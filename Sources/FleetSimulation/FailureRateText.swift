/// Failure rates as `--failure-rate` takes them: a number of failures per server and a period,
/// `0.001/h` (per server-hour) or `0.02/d` (per server-day). A bare number is per hour.
public enum FailureRateText {
    /// Failures per server-hour; nil for anything else than a finite number, 0 or more, with an
    /// optional `/h` or `/d`.
    public static func parse(_ text: String) -> Double? {
        var number = Substring(text)
        var hours = 1.0
        if let slash = text.firstIndex(of: "/") {
            number = text[..<slash]
            switch text[text.index(after: slash)...] {
            case "h": hours = 1
            case "d": hours = 24
            default: return nil
            }
        }
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        return value / hours
    }
}
