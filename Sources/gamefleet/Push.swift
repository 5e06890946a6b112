import ArgumentParser
import FleetConfig
import FleetCore
import FleetECS
import FleetRuntime
import Foundation
import Logging

/// `gamefleet push`: validates fleet.yaml and writes it as a new version of the SSM parameter or
/// S3 object the replicas read (`serve --config ssm:NAME|s3://…`), which they then reload within
/// one poll. Nothing is written when the file is refused.
struct Push: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate fleet.yaml and write it as a new version of the SSM parameter or S3 object the replicas read.",
        discussion: """
        The bytes are written as they are, ${VAR} references included (each replica substitutes its own \
        environment). Refused, writing nothing, when the file is invalid (its ${VAR}s are checked against \
        this environment) or, with --if-version, when the destination is no longer at that version. \
        A destination that already holds the same bytes is left alone. Region, endpoint and credentials \
        come from the environment (AWS_REGION, AWS_ENDPOINT_URL_SSM / _S3, the usual credential chain).
        """)

    @OptionGroup var options: ConfigOptions

    @Option(help: ArgumentHelp("Where the replicas read fleet.yaml: ssm:NAME or s3://BUCKET/KEY.", valueName: "source"))
    var to: String

    @Option(help: ArgumentHelp(
        "Write only while the destination is at this version (a parameter's version number, an object's entity tag), as /v1/fleet's config.version shows it.",
        valueName: "version"))
    var ifVersion: String?

    func run() async throws {
        let destination: ConfigLocation
        do {
            destination = try ConfigLocation(parsing: to)
        } catch {
            Stderr.write("--to \(error)\n")
            throw ExitCode.failure
        }
        guard destination.isRemote else {
            Stderr.write("--to \(to): push writes to ssm:NAME or s3://BUCKET/KEY; a file the replicas read is copied, not pushed\n")
            throw ExitCode.failure
        }
        let loaded: LoadedConfig
        do {
            loaded = try await options.load()
        } catch {
            Stderr.write("nothing was written to \(destination)\n")
            throw error
        }
        await loaded.close()

        let live: (source: RemoteConfigSource, close: @Sendable () async -> Void)
        do {
            live = try RemoteConfigSource.live(destination, logger: Logger(label: "gamefleet.push"))
        } catch {
            Stderr.write("--to \(error)\n")
            throw ExitCode.failure
        }
        do {
            try await write(loaded, to: live.source)
        } catch {
            await live.close()
            throw error
        }
        await live.close()
    }

    func write(_ loaded: LoadedConfig, to source: RemoteConfigSource) async throws {
        let destination = source.location
        let current: ConfigDocument?
        do {
            current = try await source.current()
        } catch {
            Stderr.write("--to \(error); nothing was written\n")
            throw ExitCode.failure
        }
        if let ifVersion, current?.version != ifVersion {
            let now = current.map { "is at version \($0.version ?? "?")" } ?? "does not exist"
            Stderr.write("--if-version \(ifVersion): \(destination) \(now); someone wrote it meanwhile (plan again against it); nothing was written\n")
            throw ExitCode.failure
        }
        let hash = contentHash(loaded.bytes)
        if let current, current.bytes == loaded.bytes {
            Stdout.write("\(destination): already holds \(options.config) (version \(current.version ?? "?"), config \(hash)); nothing written\n")
            return
        }
        if let current, let replaced = try? FleetLoader.parse(
            String(decoding: current.bytes, as: UTF8.self), file: destination.description, environment: ProcessInfo.processInfo.environment,
            anchor: loaded.anchor) {
            // The replicas judge a new version against the one they run; a key they can only take at
            // start makes them refuse it whole. Written all the same: a restart applies it.
            for change in ConfigReloader.restartOnlyChanges(from: replaced, to: loaded.spec) {
                Stderr.write("warning: \(change.field): \(change.from) → \(change.to): \(change.why); running replicas will refuse this version until they restart\n")
            }
        }
        let version: String?
        do {
            version = try await source.write(loaded.bytes, ifVersion: ifVersion)
        } catch {
            Stderr.write("--to \(error); nothing was written\n")
            throw ExitCode.failure
        }
        let was = current.map { " (was \($0.version ?? "?"))" } ?? " (new)"
        Stdout.write("\(destination): version \(version ?? "?") written\(was), config \(hash); the replicas read it within one poll\n")
    }
}
