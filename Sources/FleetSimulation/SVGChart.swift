/// The `--svg` chart: one run over time, as plain SVG that any browser shows.
///
/// Top panel: players on gameservers, players on the backup, and the slots paid for. Middle panel:
/// free slots (the band between the fewest and the most in each time bucket) against the two margins,
/// drawn as bands: under the upscale margin is where a rush overflows to the backup, over the downscale
/// margin is idle capacity being paid for. Bottom strip: launches (up) and stops (down).
public enum SVGChart {
    static let width = 1100.0
    static let left = 70.0
    static let right = 24.0
    static let plotWidth = width - left - right

    /// Renders `timeline` (gamefleet's run) with the settings and figures from `report`.
    public static func render(_ timeline: Timeline, report: SimulationReport) -> String {
        let fleet = report.fleet
        let n = timeline.count
        let seconds = timeline.bucketSeconds * Double(n)
        func x(_ bucket: Int) -> Double { left + plotWidth * Double(bucket) / Double(n) }

        var svg: [String] = []
        svg.append(#"<svg xmlns="http://www.w3.org/2000/svg" width="1100" height="640" viewBox="0 0 1100 640" font-family="Helvetica, Arial, sans-serif" font-size="12">"#)
        svg.append(#"<rect width="1100" height="640" fill="white"/>"#)
        svg.append(text(left, 22, "gamefleet simulate: trace \(report.trace.name), fleet \(fleet.name) "
            + "(capacity \(fleet.capacity), margins \(fleet.upscaleMargin)..\(fleet.downscaleMargin)), seed \(report.provider.seed)",
            size: 15, weight: "bold"))
        svg.append(text(left, 40, report.verdict, size: 12, fill: "#444"))

        // Top panel: players and paid slots.
        let top = Panel(y: 60, height: 280)
        let topMax = niceCeiling(Double(max(timeline.paidSlots.max() ?? 0, (0..<n).map { timeline.players[$0] + timeline.backupPlayers[$0] }.max() ?? 0, 1)))
        svg.append(contentsOf: axis(top, maxValue: topMax, label: "players / slots"))
        svg.append(area(timeline.paidSlots.map(Double.init), panel: top, maxValue: topMax, x: x, fill: "#cfe3f7", stroke: "#5b9bd5"))
        if timeline.backupPlayers.contains(where: { $0 > 0 }) {
            // See-through, so the fleet's lines still show where a rush went to the backup.
            svg.append(area(timeline.backupPlayers.map(Double.init), panel: top, maxValue: topMax, x: x, fill: "#e74c3c", stroke: "#c0392b", opacity: 0.35))
        }
        svg.append(step(timeline.players.map(Double.init), panel: top, maxValue: topMax, x: x, stroke: "#1f3b57", width: 1.6))
        svg.append(legend(x: left + 10, y: top.y + 16, [
            ("#5b9bd5", "slots paid for (servers × capacity)"), ("#1f3b57", "players on gameservers"),
            ("#c0392b", "players on the backup"),
        ]))

        // Middle panel: free slots against the margins.
        let middle = Panel(y: 370, height: 170)
        let freeMax = niceCeiling(max(Double(fleet.downscaleMargin) * 1.5, percentile(timeline.freeHigh, 0.98), 1))
        svg.append(contentsOf: axis(middle, maxValue: freeMax, label: "free slots"))
        let up = middle.y(Double(fleet.upscaleMargin), freeMax)
        let down = middle.y(min(Double(fleet.downscaleMargin), freeMax), freeMax)
        svg.append(rect(left, up, plotWidth, middle.bottom - up, fill: "#fde2e2"))
        svg.append(rect(left, down, plotWidth, up - down, fill: "#e3f4e1"))
        svg.append(rect(left, middle.y, plotWidth, down - middle.y, fill: "#fff4d6"))
        svg.append(line(left, up, left + plotWidth, up, stroke: "#c0392b", dash: true))
        svg.append(line(left, down, left + plotWidth, down, stroke: "#b7950b", dash: true))
        svg.append(band(low: timeline.freeLow.map(Double.init), high: timeline.freeHigh.map(Double.init),
                        panel: middle, maxValue: freeMax, x: x))
        svg.append(legend(x: left + 10, y: middle.y + 16, [
            ("#2e86c1", "free slots (fewest to most in each bucket)"),
            ("#c0392b", "upscale margin \(fleet.upscaleMargin): below it, a rush goes to the backup"),
            ("#b7950b", "downscale margin \(fleet.downscaleMargin): above it, idle servers are parked"),
        ]))

        // Bottom strip: launches up, stops down.
        let strip = Panel(y: 552, height: 48)
        let mid = strip.y + strip.height / 2
        svg.append(line(left, mid, left + plotWidth, mid, stroke: "#999", dash: false))
        let most = Double(max(timeline.launches.max() ?? 0, timeline.stops.max() ?? 0, 1))
        for b in 0..<n {
            let cx = x(b) + plotWidth / Double(n) / 2
            if timeline.launches[b] > 0 {
                let h = max(2, strip.height / 2 * Double(timeline.launches[b]) / most)
                svg.append(line(cx, mid, cx, mid - h, stroke: "#27ae60", dash: false))
            }
            if timeline.stops[b] > 0 {
                let h = max(2, strip.height / 2 * Double(timeline.stops[b]) / most)
                svg.append(line(cx, mid, cx, mid + h, stroke: "#c0392b", dash: false))
            }
        }
        svg.append(text(8, mid - 6, "launches", size: 10, fill: "#27ae60"))
        svg.append(text(8, mid + 14, "stops", size: 10, fill: "#c0392b"))

        // Time axis under everything.
        for (t, label) in timeTicks(seconds) {
            let tx = left + plotWidth * t / seconds
            svg.append(line(tx, top.y, tx, strip.bottom, stroke: "#e5e5e5", dash: false))
            svg.append(text(tx, 620, label, size: 11, fill: "#444", anchor: "middle"))
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    struct Panel {
        let y: Double
        let height: Double
        var bottom: Double { y + height }
        func y(_ value: Double, _ maxValue: Double) -> Double {
            bottom - height * min(max(value, 0), maxValue) / maxValue
        }
    }

    static func axis(_ panel: Panel, maxValue: Double, label: String) -> [String] {
        var parts = [rect(left, panel.y, plotWidth, panel.height, fill: "none", stroke: "#bbb")]
        for i in 0...4 {
            let value = maxValue * Double(i) / 4
            let y = panel.y(value, maxValue)
            parts.append(text(left - 6, y + 4, NumberText.grouped(Int(value.rounded())), size: 10, fill: "#666", anchor: "end"))
        }
        parts.append("<text transform=\"translate(16,\(f(panel.y + panel.height / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"11\" fill=\"#444\">\(escaped(label))</text>")
        return parts
    }

    /// A stepped line: each bucket's value held across the bucket.
    static func stepPoints(_ values: [Double], panel: Panel, maxValue: Double, x: (Int) -> Double) -> [String] {
        var points: [String] = []
        points.reserveCapacity(values.count * 2)
        for (b, value) in values.enumerated() {
            let y = f(panel.y(value, maxValue))
            points.append("\(f(x(b))),\(y)")
            points.append("\(f(x(b + 1))),\(y)")
        }
        return points
    }

    static func step(_ values: [Double], panel: Panel, maxValue: Double, x: (Int) -> Double, stroke: String, width: Double) -> String {
        "<polyline fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(f(width))\" points=\"\(stepPoints(values, panel: panel, maxValue: maxValue, x: x).joined(separator: " "))\"/>"
    }

    static func area(_ values: [Double], panel: Panel, maxValue: Double, x: (Int) -> Double, fill: String, stroke: String, opacity: Double = 1) -> String {
        let points = ["\(f(x(0))),\(f(panel.bottom))"] + stepPoints(values, panel: panel, maxValue: maxValue, x: x)
            + ["\(f(x(values.count))),\(f(panel.bottom))"]
        return "<polygon fill=\"\(fill)\" fill-opacity=\"\(NumberText.fixed(opacity, 2))\" stroke=\"\(stroke)\" stroke-width=\"1\" points=\"\(points.joined(separator: " "))\"/>"
    }

    static func band(low: [Double], high: [Double], panel: Panel, maxValue: Double, x: (Int) -> Double) -> String {
        let upper = stepPoints(high, panel: panel, maxValue: maxValue, x: x)
        let lower = stepPoints(low, panel: panel, maxValue: maxValue, x: x).reversed()
        return "<polygon fill=\"#2e86c1\" fill-opacity=\"0.45\" stroke=\"#2e86c1\" stroke-width=\"0.8\" points=\"\((upper + lower).joined(separator: " "))\"/>"
    }

    static func legend(x: Double, y: Double, _ entries: [(color: String, label: String)]) -> String {
        var parts: [String] = []
        var cy = y
        for entry in entries {
            parts.append(rect(x, cy - 8, 12, 8, fill: entry.color))
            parts.append(text(x + 18, cy, entry.label, size: 11, fill: "#222"))
            cy += 15
        }
        return parts.joined(separator: "\n")
    }

    /// Tick marks for a run of `seconds`: hours of the day for a day or less, days for longer.
    static func timeTicks(_ seconds: Double) -> [(Double, String)] {
        let hours = seconds / 3600
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        if hours > 48 {
            // No tick at the very end: its label would run off the chart.
            return stride(from: 0.0, to: seconds - 1, by: 86_400).map { t in
                let day = Int(t / 86_400)
                return (t, day >= 7 ? "\(days[day % 7]) (day \(day + 1))" : days[day])
            }
        }
        let step = hours > 24 ? 14_400.0 : hours > 8 ? 7_200.0 : hours > 3 ? 3_600.0 : hours > 1 ? 1_800.0 : 600.0
        return stride(from: 0.0, to: seconds + 1, by: step).map { t in
            let minutes = Int(t / 60)
            let hh = minutes / 60 % 24, mm = minutes % 60
            return (t, (hh < 10 ? "0" : "") + "\(hh):" + (mm < 10 ? "0" : "") + "\(mm)")
        }
    }

    /// A round number at least `value` whose quarters are round too: an axis top read at a glance.
    static func niceCeiling(_ value: Double) -> Double {
        var power = 1.0
        while power * 10 <= value { power *= 10 }
        for factor in [1.0, 1.2, 1.6, 2.0, 2.4, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] where factor * power >= value {
            return factor * power
        }
        return 10 * power
    }

    static func percentile(_ values: [Int], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))])
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil) -> String {
        "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(w, 0)))\" height=\"\(f(max(h, 0)))\" fill=\"\(fill)\""
            + (stroke.map { " stroke=\"\($0)\"" } ?? "") + "/>"
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, dash: Bool) -> String {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\" stroke-width=\"1\""
            + (dash ? " stroke-dasharray=\"5,4\"" : "") + "/>"
    }

    static func text(_ x: Double, _ y: Double, _ content: String, size: Int, fill: String = "#000", weight: String? = nil, anchor: String? = nil) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(size)\" fill=\"\(fill)\""
            + (weight.map { " font-weight=\"\($0)\"" } ?? "") + (anchor.map { " text-anchor=\"\($0)\"" } ?? "")
            + ">\(escaped(content))</text>"
    }

    /// Coordinates with one decimal: enough for a screen, and short.
    static func f(_ value: Double) -> String {
        NumberText.fixed(value, 1)
    }

    static func escaped(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
