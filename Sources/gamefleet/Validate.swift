import ArgumentParser
import FleetCore
import Foundation

/// `gamefleet validate`: exit 0 when fleet.yaml is valid, 1 with every error on stderr.
struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check fleet.yaml; print every error as FILE:LINE:COL: key: problem.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let spec = try await options.loadSpec()
        Stdout.write("\(options.config): valid (fleet \(spec.name), provider \(spec.provider.rawValue), \(spec.gameserver.capacity) slots per server, margins \(spec.scaling.upscaleMargin)..\(spec.scaling.downscaleMargin), \(spec.scaling.minServers)-\(spec.scaling.maxServers) servers\(Self.policyText(spec.scaling))\(spec.ha.map { ", ha: lease of \(DurationText.format($0.leaseDuration)) in table \($0.table)" } ?? ""))\n")
    }

    /// `, policy demand (growth forecast), 1 schedule window` for a demand or scheduled fleet; empty
    /// for a margin fleet without a schedule, whose line stays as it was.
    static func policyText(_ scaling: ScalingSpec) -> String {
        var parts: [String] = []
        if scaling.policy == .demand { parts.append("policy demand (\(scaling.demand.forecast.rawValue) forecast)") }
        if !scaling.schedule.isEmpty { parts.append("\(scaling.schedule.count) schedule window\(scaling.schedule.count == 1 ? "" : "s")") }
        return parts.map { ", " + $0 }.joined()
    }
}
