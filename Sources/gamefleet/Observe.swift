import ArgumentParser
import FleetCore
import Foundation
import Logging

/// `gamefleet observe`: the observed state as JSON, for `gamefleet plan --observed` later.
struct Observe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the fleet's observed state (servers and one round of health probes) as JSON.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let spec = try await options.loadSpec()
        let observed = try await LiveObservation.observe(spec: spec, configPath: options.config, logger: Logger(label: "gamefleet"))
        Stdout.write(String(decoding: try observed.encoded(), as: UTF8.self) + "\n")
    }
}
