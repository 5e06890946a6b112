import Foundation

/// Renders a plan for people, in the style Terraform users know: one line per action with a symbol
/// (`+` launch, `~` standby or activate, `-` stop) and its reason, then a summary line.
public enum PlanTextRenderer {
    /// The whole text, ending in a newline. `fleet` names the fleet in the header.
    public static func render(_ plan: Plan, fleet: String) -> String {
        let s = plan.summary
        let unknown = s.unknown > 0 ? ", \(s.unknown) unknown" : ""
        var out = "Fleet \(fleet): \(s.servers) server(s): \(s.active) active (\(s.starting) starting\(unknown)), \(s.standby) standby, \(s.unhealthy) unhealthy, \(s.outdated) outdated.\n"
        out += "Free slots \(s.freeSlots); upscale margin \(s.upscaleMargin), downscale margin \(s.downscaleMargin).\n\n"
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
