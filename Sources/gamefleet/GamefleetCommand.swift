import ArgumentParser
import FleetConfig
import FleetCore
import FleetRuntime
import Foundation

/// The `gamefleet` command line.
@main
struct GamefleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gamefleet",
        abstract: "Keeps a fleet of gameservers sized to demand and tells players where to go.",
        subcommands: [Serve.self, Validate.self, PlanCommand.self, Apply.self, Observe.self, Simulate.self, Schema.self, ImportEnv.self]
    )
}

/// Options every subcommand that reads fleet.yaml shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: [.short, .customLong("config")], help: "The fleet file.")
    var config: String = "fleet.yaml"

    /// Loads the spec, printing every error to stderr and exiting 1 when the file is refused.
    func loadSpec() throws -> FleetSpec {
        try loadSpecAndHash().0
    }
}

extension ConfigOptions {
    /// Loads the spec from one read of the file and returns the hash of those same bytes.
    func loadSpecAndHash() throws -> (FleetSpec, String) {
        guard let data = FileManager.default.contents(atPath: config) else {
            Stderr.write("\(config): cannot read the file: \(FileManager.default.fileExists(atPath: config) ? "permission denied" : "no such file")\n")
            throw ExitCode.failure
        }
        do {
            let spec = try FleetLoader.parse(String(decoding: data, as: UTF8.self), file: config, environment: ProcessInfo.processInfo.environment)
            outputMask.add(spec.secrets)
            return (spec, FleetRuntime.contentHash(data))
        } catch {
            Stderr.write(error.description + "\n")
            Stderr.write("\(config): refused (\(error.errors.count) error\(error.errors.count == 1 ? "" : "s"))\n")
            throw ExitCode.failure
        }
    }
}

/// The secrets (values fleet.yaml took from `${VAR}`) of the files this run loaded: everything the
/// command writes to stdout, stderr or its log goes through it.
let outputMask = SecretMask()

enum Stderr {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(outputMask.redact(text).utf8))
    }
}

enum Stdout {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(outputMask.redact(text).utf8))
    }
}
