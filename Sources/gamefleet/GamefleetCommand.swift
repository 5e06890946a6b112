import ArgumentParser
import FleetConfig
import FleetCore
import FleetECS
import FleetRuntime
import Foundation
import Logging

/// The `gamefleet` command line.
@main
struct GamefleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gamefleet",
        abstract: "Keeps a fleet of gameservers sized to demand and tells players where to go.",
        subcommands: [Serve.self, Validate.self, Check.self, PlanCommand.self, Push.self, Apply.self, Observe.self, Simulate.self, Schema.self, ImportEnv.self]
    )
}

/// Options every subcommand that reads fleet.yaml shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: [.short, .customLong("config")],
            help: "The fleet file, or where it is kept in AWS: ssm:NAME (an SSM parameter) or s3://BUCKET/KEY (an S3 object).")
    var config: String = "fleet.yaml"

    /// Loads the spec, printing every error to stderr and exiting 1 when the config is refused.
    func loadSpec() async throws -> FleetSpec {
        let loaded = try await load()
        await loaded.close()
        return loaded.spec
    }
}

/// fleet.yaml as a command loaded it: the spec, the hash and version of the bytes it was parsed
/// from, and the source to read it again from (serve polls it).
struct LoadedConfig {
    var spec: FleetSpec
    /// The bytes the spec was parsed from, as written (`${VAR}` references unsubstituted).
    var bytes: [UInt8]
    var hash: String
    var version: String?
    var location: ConfigLocation
    var source: any ConfigSource
    /// The path relative file names in fleet.yaml were resolved against.
    var anchor: String
    /// Shuts the source's HTTP client (remote sources).
    var close: @Sendable () async -> Void
}

extension ConfigOptions {
    /// Where `--config` points; exits 1 naming the option when the text is malformed.
    func location() throws -> ConfigLocation {
        do {
            return try ConfigLocation(parsing: config)
        } catch {
            Stderr.write("--config \(error)\n")
            throw ExitCode.failure
        }
    }

    /// Reads the config once from its source and validates it; returns the spec with the hash of
    /// exactly the bytes that were parsed, so a watcher notices any later edit.
    func load() async throws -> LoadedConfig {
        let location = try location()
        let anchor = location.anchorPath(workingDirectory: FileManager.default.currentDirectoryPath)
        let source: any ConfigSource
        let close: @Sendable () async -> Void
        switch location {
        case .file(let path):
            guard FileManager.default.contents(atPath: path) != nil else {
                Stderr.write("\(path): cannot read the file: \(FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")\n")
                throw ExitCode.failure
            }
            source = FileConfigSource(path: path)
            close = {}
        case .ssm, .s3:
            do {
                let live = try RemoteConfigSource.live(location, logger: Logger(label: "gamefleet.config"))
                source = live.source
                close = live.close
            } catch {
                Stderr.write("\(error)\n")
                throw ExitCode.failure
            }
        }
        let document: ConfigDocument
        do {
            guard let read = try await source.fetch(unlessVersion: nil) else { throw ConfigSourceError(location: location, reason: "nothing was read") }
            document = read
        } catch {
            await close()
            Stderr.write("\(error)\n")
            throw ExitCode.failure
        }
        do {
            let spec = try FleetLoader.parse(
                String(decoding: document.bytes, as: UTF8.self), file: config, environment: ProcessInfo.processInfo.environment, anchor: anchor)
            outputMask.add(spec.secrets)
            return LoadedConfig(spec: spec, bytes: document.bytes, hash: FleetRuntime.contentHash(document.bytes), version: document.version,
                                location: location, source: source, anchor: anchor, close: close)
        } catch {
            await close()
            Stderr.write(error.description + "\n")
            Stderr.write("\(config)\(document.version.map { " version \($0)" } ?? ""): refused (\(error.errors.count) error\(error.errors.count == 1 ? "" : "s"))\n")
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
