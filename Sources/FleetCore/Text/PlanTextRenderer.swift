// Text/: words for people: a plan as text and as Markdown, reason texts, durations.

import Foundation

/// Renders a plan for people, in the style Terraform users know: one line per action with a symbol
/// (`+` launch, `~` standby or activate, `-` stop) and its reason, then a summary line.
public enum PlanTextRenderer {
    /// The whole text, ending in a newline. `fleet` names the fleet in the header.
    public static func render(_ plan: Plan, fleet: String) -> String {
        let s = plan.summary
        let unknown = s.unknown > 0 ? ", \(s.unknown) unknown" : ""
        var out = "Fleet \(fleet): \(s.servers) server(s): \(s.active) active (\(s.starting) starting\(unknown)), \(s.standby) standby, \(s.unhealthy) unhealthy, \(s.outdated) outdated.\n"
        out += "Free slots \(s.freeSlots); upscale margin \(s.upscaleMargin), downscale margin \(s.downscaleMargin).\n"
        if let line = signalLine(demand: s.demand, startup: s.startup) { out += line + "\n" }
        if let sizing = s.sizing { out += sizingLine(sizing, trend: s.trend) + "\n" }
        out += "\n"
        if plan.isEmpty {
            out += "No changes. The fleet matches fleet.yaml.\n"
        } else {
            out += "gamefleet will perform the following actions:\n\n"
            let rows = plan.actions.map { action -> (String, String, String) in
                (symbol(action.kind) + " " + action.kind.rawValue, target(action), action.reason)
            }
            let kindWidth = rows.map(\.0.count).max() ?? 0
            let targetWidth = rows.map(\.1.count).max() ?? 0
            for (kind, target, reason) in rows {
                out += "  " + kind.padded(to: kindWidth) + "  " + target.padded(to: targetWidth) + "  # " + reason + "\n"
            }
            out += "\n"
        }
        for limit in plan.limits {
            out += "Limit: \(limit).\n"
        }
        if !plan.isEmpty {
            out += "Plan: \(plan.count(.launch)) to launch, \(plan.count(.activate)) to activate, \(plan.count(.standby)) to standby, \(plan.count(.stop)) to stop.\n"
        }
        return out
    }

    /// The demand signal and the measured startup time in one line, e.g. `Demand since last pass:
    /// 120 requests over 10s (12.0/s), 3 to the backup, 0 unavailable, 4 reserved unconfirmed;
    /// startup p90 42s over 17 launches.`; nil when the observation had neither.
    public static func signalLine(demand: DemandSignal?, startup: StartupStatistic?) -> String? {
        var parts: [String] = []
        if let d = demand {
            let rate = d.requestsPerSecond.map { " (" + oneDecimal($0) + "/s)" } ?? ""
            parts.append("Demand since last pass: \(d.requests) request\(d.requests == 1 ? "" : "s") over \(seconds(d.windowSeconds))\(rate), \(d.backup) to the backup, \(d.unavailable) unavailable, \(d.reservedUnconfirmed) reserved unconfirmed")
        }
        if let s = startup {
            parts.append("\(parts.isEmpty ? "Startup" : "startup") p90 \(seconds(s.p90Seconds)) over \(s.samples) launch\(s.samples == 1 ? "" : "es")")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ") + "."
    }

    /// What the pass sized the fleet to, e.g. `Sizing (demand): keep 300 to 340 free slots and 2
    /// active servers; demand: 12.3 arrivals/min × 95s (…) = 300 free slots wanted (smoothed 10.1/min).`
    public static func sizingLine(_ sizing: FleetSizing, trend: DemandTrend?) -> String {
        var out = "Sizing (\(sizing.policy.rawValue)): keep \(sizing.upscaleAt) to \(sizing.downscaleAt) free slots and \(sizing.minServers) active server\(sizing.minServers == 1 ? "" : "s")"
        if let forecast = sizing.forecast {
            out += "; " + DemandSizing.describe(forecast)
            if let trend { out += " (smoothed \(oneDecimal(trend.smoothedPerMinute))/min)" }
        }
        if !sizing.scheduled.isEmpty {
            out += "; schedule: " + sizing.scheduled.joined(separator: ", ")
        }
        return out + "."
    }

    /// Seconds as `42s`, or `9.5s` when not whole (one decimal).
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? "\(Int(value))s" : oneDecimal(value) + "s"
    }

    /// One decimal, rounded half away from zero, without Foundation's locale-dependent formatting.
    static func oneDecimal(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return "\(value)" }
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    /// The one-line form of an action used in logs: `+ launch chess:3 # free slots 2 < upscale margin 4`.
    public static func line(_ action: Action) -> String {
        "\(symbol(action.kind)) \(action.kind.rawValue) \(target(action)) # \(action.reason)"
    }

    static func symbol(_ kind: Action.Kind) -> String {
        switch kind {
        case .launch: return "+"
        case .activate, .standby: return "~"
        case .stop: return "-"
        }
    }

    static func target(_ action: Action) -> String {
        if action.kind == .launch { return (action.taskDefinition ?? "") + (action.server.map { " on \($0)" } ?? "") }
        let id = action.server ?? "?"
        if let address = action.address { return "\(id) (\(address))" }
        return id
    }
}

extension String {
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
