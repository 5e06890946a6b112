import ArgumentParser
import FleetCore
import Foundation

/// `gamefleet validate`: exit 0 when fleet.yaml is valid, 1 with every error on stderr.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check fleet.yaml; print every error as FILE:LINE:COL: key: problem.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let spec = try options.loadSpec()
        Stdout.write("\(options.config): valid (fleet \(spec.name), provider \(spec.provider.rawValue), \(spec.gameserver.capacity) slots per server, margins \(spec.scaling.upscaleMargin)..\(spec.scaling.downscaleMargin), \(spec.scaling.minServers)-\(spec.scaling.maxServers) servers\(spec.ha.map { ", ha: lease of \(DurationText.format($0.leaseDuration)) in table \($0.table)" } ?? ""))\n")
    }
}
