/// Numbers as the reports print them. Written by hand rather than with `String(format:)` or a
/// formatter so the output never depends on the machine's locale.
enum NumberText {
    /// `1234567` → `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var text = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { text.append(",") }
            text.append(c)
        }
        return (value < 0 ? "-" : "") + text
    }

    /// `value` with exactly `places` decimals, rounded half away from zero: `fixed(1.005, 1)` → `1.0`.
    static func fixed(_ value: Double, _ places: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (value.magnitude * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        var text = (value < 0 && scaled > 0 ? "-" : "") + String(whole)
        if places > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: places - digits.count) + digits
        }
        return text
    }

    /// An amount of money: thousands grouped, two decimals: `4818.904` → `4,818.90`, `-12` → `-12.00`.
    static func money(_ value: Double) -> String {
        let text = fixed(value.magnitude, 2)
        guard let point = text.firstIndex(of: "."), let whole = Int(text[..<point]) else { return text }
        let sign = value < 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "-" : ""
        return sign + grouped(whole) + text[point...]
    }

    /// A price as written, without trailing zeros, to at most `places` decimals: `0.0404800` → `0.04048`,
    /// `2.0` → `2`.
    static func decimal(_ value: Double, places: Int = 6) -> String {
        var text = fixed(value, places)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A percentage with two decimals: `3.0` → `3.00%`.
    static func percent(_ value: Double) -> String {
        fixed(value, 2) + "%"
    }

    /// A length of time for people, largest unit first, leaving out a zero last part: `45s`, `1m`,
    /// `2m10s`, `1h`, `1h02m`, `3d04h`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        func two(_ big: Int, _ bigUnit: String, _ small: Int, _ smallUnit: String) -> String {
            "\(big)\(bigUnit)" + (small == 0 ? "" : pad(small) + smallUnit)
        }
        if s < 60 { return "\(s)s" }
        if s < 3600 { return two(s / 60, "m", s % 60, "s") }
        if s < 86_400 { return two(s / 3600, "h", s / 60 % 60, "m") }
        return two(s / 86_400, "d", s / 3600 % 24, "h")
    }

    private static func pad(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
