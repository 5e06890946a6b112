import ArgumentParser
import FleetConfig
import FleetCore
import FleetHTTP
import FleetRuntime
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle

/// `gamefleet serve`: the reconcile loop, the HTTP endpoint and the config watcher, as services in
/// one `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT (stopping local gameservers).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the fleet: reconcile loop, allocation endpoint and live reload of fleet.yaml.")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Observe, probe and plan every pass, and log the plan, but change nothing.")
    var dryRun = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: Logger.Level = .info

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "Log format: text (one readable line) or json (one JSON object a line: time, level, message, fleet, server, action, reason_code, …).")
    var logFormat: LogFormat = .text

    @Option(help: ArgumentHelp(
        "How often the config source is read again, e.g. 30s (also GAMEFLEET_CONFIG_POLL). Default: 1s for a file, 30s for ssm: and s3://.",
        valueName: "duration"))
    var configPoll: String?

    /// The poll interval: `--config-poll`, else `GAMEFLEET_CONFIG_POLL`, else 1 s for a file and
    /// 30 s for a source in AWS (each read is a billed, throttled API call). At least 100 ms.
    static func pollInterval(option: String?, environment: [String: String], location: ConfigLocation) throws -> Duration {
        let given = option.map { ("--config-poll", $0) } ?? environment["GAMEFLEET_CONFIG_POLL"].flatMap { $0.isEmpty ? nil : ("GAMEFLEET_CONFIG_POLL", $0) }
        guard let (origin, text) = given else { return location.isRemote ? .seconds(30) : .seconds(1) }
        guard let interval = DurationText.parse(text), interval >= .milliseconds(100), interval <= .seconds(86_400) else {
            Stderr.write("\(origin): expected a duration between 100ms and 24h such as 30s or 2m, got '\(text)'\n")
            throw ExitCode.failure
        }
        return interval
    }

    func run() async throws {
        let level = logLevel, format = logFormat
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return RedactingLogHandler(wrapping: handler, mask: outputMask)
        }
        var logger = Logger(label: "gamefleet")
        let poll = try Self.pollInterval(option: configPoll, environment: ProcessInfo.processInfo.environment, location: try options.location())
        // Hash exactly the bytes that are parsed, so the watcher notices any later edit.
        let loaded = try await options.load()
        let spec = loaded.spec
        logger[metadataKey: "fleet"] = .string(spec.name)
        try SampleGameserverBuild.ensure(spec: spec, configPath: options.config, logger: logger)

        let metrics = FleetMetrics()
        let sourceMetrics = ConfigSourceMetrics(registry: metrics.registry)
        sourceMetrics.recordRunning(source: options.config, version: loaded.version, hash: loaded.hash)
        let fleet = FleetState(
            spec: spec,
            config: ConfigStatus(path: options.config, hash: loaded.hash, loadedAt: Date(), source: loaded.location.kind, version: loaded.version),
            metrics: metrics, dryRun: dryRun, configBytes: loaded.bytes)
        let provider = try await ProviderFactory.make(spec: spec, configPath: options.config, dryRun: dryRun, logger: logger)
        let probeClient = HTTPHealthProber.makeClient()
        var replicas: HAReplica?
        do {
            if spec.ha != nil, dryRun {
                // A dry-run replica holding the lease would keep the real ones from acting.
                logger.notice("dry run: not taking part in the ha leader election (this replica never holds the lease)")
            } else if let ha = spec.ha {
                replicas = try await HAReplica.start(spec: spec, ha: ha, configPath: options.config, metrics: metrics, fleet: fleet, logger: logger)
            }
        } catch {
            await provider.shutdown()
            try? await probeClient.shutdown()
            await loaded.close()
            throw error
        }
        let reconciler = Reconciler(
            provider: provider, prober: HTTPHealthProber(client: probeClient), fleet: fleet, logger: logger, dryRun: dryRun,
            leadership: replicas?.keeper, history: replicas?.history ?? ProviderFactory.demandHistory(spec: spec, configPath: options.config))
        var services: [any Service] = [
            ReconcileService(reconciler: reconciler, fleet: fleet, wake: replicas?.keeper.becameLeader, logger: logger),
            ConfigWatchService(
                reloader: ConfigReloader(source: loaded.source, fleet: fleet, anchor: loaded.anchor, logger: logger, mask: outputMask, metrics: sourceMetrics),
                pollInterval: poll, logger: logger),
            buildPublicApplication(fleet: fleet, metrics: metrics, spec: spec, logger: logger, replica: replicas?.allocator),
            buildAdminApplication(fleet: fleet, metrics: metrics, spec: spec, logger: logger, leadership: replicas?.keeper, loans: replicas?.loans),
        ]
        if let replicas { services.append(replicas.loanService) }
        // First, so it is shut down last (a ServiceGroup stops its services in reverse order): the
        // reconcile loop has ended before the lease is released to a successor.
        if let replicas { services.insert(replicas.service, at: 0) }
        logger.info("gamefleet serving fleet \(spec.name) (provider \(spec.provider.rawValue)\(dryRun ? ", dry run" : "")\(replicas.map { ", ha replica \($0.keeper.replicaID) advertising \(spec.ha?.advertise.description ?? "")" } ?? "")): allocations on http://\(spec.listen), admin and status page on http://\(spec.admin.listen)\(spec.admin.token == nil ? "" : " (token required)")")
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        var failure: (any Error)?
        do {
            try await group.run()
        } catch {
            failure = error
        }
        await provider.shutdown()
        try? await probeClient.shutdown()
        await replicas?.close()
        if let failure {
            await loaded.close()
            Stderr.write("gamefleet serve: \(Self.describe(failure, spec: spec))\n")
            throw ExitCode.failure
        }
        await loaded.close()
        logger.info("gamefleet stopped")
    }

    static func describe(_ error: any Error, spec: FleetSpec) -> String {
        let text = String(describing: error)
        if text.contains("Address already in use") || text.contains("EADDRINUSE") {
            // NIO's error does not say which bind failed; name the one that is taken now, or both.
            let taken = [(spec.listen, "listen"), (spec.admin.listen, "admin.listen")].filter { !PortCheck.isFree(host: $0.0.host, port: $0.0.port) }
            let named = (taken.isEmpty ? [(spec.listen, "listen"), (spec.admin.listen, "admin.listen")] : taken)
                .map { "\($0.0) (\($0.1) in the config)" }.joined(separator: " or ")
            return "cannot listen on \(named): the address is already in use"
        }
        return text
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// The default fleet runs `.build/debug/sample-gameserver`; build it on first use so
/// `swift run gamefleet serve` works in a fresh clone.
enum SampleGameserverBuild {
    static func ensure(spec: FleetSpec, configPath: String, logger: Logger) throws {
        guard spec.provider == .local, let executable = spec.local?.command.first, executable.contains("/") else { return }
        if FileManager.default.isExecutableFile(atPath: executable) { return }
        guard executable.hasSuffix("/sample-gameserver"), executable.contains(".build") else {
            Stderr.write("\(configPath): local.command[0]: \(executable) does not exist or is not executable\n")
            throw ExitCode.failure
        }
        let configuration = executable.contains("/release/") ? "release" : "debug"
        logger.info("\(executable) is missing: building it once with `swift build -c \(configuration) --product sample-gameserver`")
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["swift", "build", "-c", configuration, "--product", "sample-gameserver"]
        build.standardOutput = FileHandle.standardError
        try build.run()
        build.waitUntilExit()
        guard build.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: executable) else {
            Stderr.write("\(configPath): local.command[0]: \(executable) is missing and building it failed; run `swift build --product sample-gameserver`\n")
            throw ExitCode.failure
        }
    }
}
