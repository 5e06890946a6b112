import FleetConfig
import FleetCore
import Foundation
import Logging

/// Reloads fleet.yaml into the running service: a valid file takes effect at the next pass; an
/// invalid one is refused with the same errors `gamefleet validate` prints and the running spec
/// stays. Keys that only take effect at start (``restartOnlyChanges(from:to:)`` lists them: `listen`,
/// `admin.listen`, `provider`, `name`, `ha`, …) refuse the reload with a message saying a restart is
/// needed, rather than applying half of it.
///
/// The rules are the same whatever the ``ConfigSource`` (a file, an SSM parameter, an S3 object):
/// ``apply(_:)`` is the one place a new version is judged. A source that cannot be read is not a
/// refused version: the running config stays, the failure is shown in `/v1/fleet`
/// (`config.readError`) and counted, and the watcher backs off (see ``ConfigWatchService``).
public struct ConfigReloader: Sendable {
    public let source: any ConfigSource
    let fleet: FleetState
    let environment: [String: String]
    /// The path relative file names in fleet.yaml are resolved against (see ``ConfigLocation/anchorPath(workingDirectory:)``).
    let anchor: String
    let logger: Logger
    let now: @Sendable () -> Date
    /// Told of the secrets of every file that is applied, so logs never show them.
    let mask: SecretMask?
    let metrics: ConfigSourceMetrics?

    public init(source: any ConfigSource, fleet: FleetState, environment: [String: String] = ProcessInfo.processInfo.environment,
                anchor: String? = nil, logger: Logger, mask: SecretMask? = nil, metrics: ConfigSourceMetrics? = nil,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.source = source
        self.fleet = fleet
        self.environment = environment
        self.anchor = anchor ?? source.location.anchorPath(workingDirectory: FileManager.default.currentDirectoryPath)
        self.logger = logger
        self.mask = mask
        self.metrics = metrics
        self.now = now
    }

    /// A reloader of the file at `path`.
    public init(path: String, fleet: FleetState, environment: [String: String] = ProcessInfo.processInfo.environment,
                logger: Logger, mask: SecretMask? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.init(source: FileConfigSource(path: path), fleet: fleet, environment: environment, logger: logger, mask: mask, now: now)
    }

    /// The source as `--config` names it (a path for a file).
    public var path: String { source.location.description }

    public enum Outcome: Sendable, Equatable {
        case applied(hash: String)
        case unchanged
        case refused([String])
        /// The source could not be read; the running config stays.
        case unreadable(String)
    }

    /// The hash of the running config's bytes (what the watcher compares the file with).
    public func runningHash() async -> String {
        await fleet.config.hash
    }

    /// Reads the source (unconditionally) and applies what it holds if it is valid and differs
    /// from the running config.
    @discardableResult
    public func reload() async -> Outcome {
        do {
            guard let document = try await source.fetch(unlessVersion: nil) else { return .unchanged }
            await readSucceeded()
            return await apply(document)
        } catch {
            return await readFailed(error, nextAttemptAt: nil)
        }
    }

    /// Judges one version of the config: applies it if it is valid and differs from the running one,
    /// refuses it whole otherwise (the running config stays).
    @discardableResult
    public func apply(_ document: ConfigDocument) async -> Outcome {
        let running = await fleet.spec
        let runningHash = await fleet.config.hash
        let hash = contentHash(document.bytes)
        let spec: FleetSpec
        do {
            spec = try FleetLoader.parse(String(decoding: document.bytes, as: UTF8.self), file: path, environment: environment, anchor: anchor)
        } catch {
            return await refuse(error.errors.map(\.description), version: document.version)
        }
        let restartOnly = Self.restartOnlyChanges(from: running, to: spec).map {
            "\(path): \($0.field): changed from \($0.from) to \($0.to); \($0.why), so this \(noun) was not applied (restart gamefleet to apply it)"
        }
        if !restartOnly.isEmpty { return await refuse(restartOnly, version: document.version) }
        if hash == runningHash && spec == running {
            // The running file is back (e.g. a broken edit was reverted): earlier errors no longer apply.
            await fleet.reloadMatchesRunning(at: now())
            return .unchanged
        }
        mask?.add(spec.secrets)
        await fleet.adopt(spec, hash: hash, version: document.version, at: now(), bytes: document.bytes)
        metrics?.recordRunning(source: path, version: document.version, hash: hash)
        logger.info("reloaded \(path)\(document.version.map { " version \($0)" } ?? "") (config \(hash)): takes effect at the next pass")
        return .applied(hash: hash)
    }

    /// "file", or what the source holds.
    var noun: String {
        switch source.location {
        case .file: return "file"
        case .ssm: return "parameter version"
        case .s3: return "object version"
        }
    }

    /// Records a read that worked (ends a run of failures).
    func readSucceeded() async {
        if await fleet.readSucceeded(at: now()) {
            logger.notice("\(path): readable again; the config source is read at every poll")
        }
        metrics?.recordReadFailures(0)
    }

    /// Records a read that failed: logged, shown in `/v1/fleet`, counted; the running config stays.
    func readFailed(_ error: ConfigSourceError, nextAttemptAt: Date?) async -> Outcome {
        let failures = await fleet.readFailed(error.description, nextAttemptAt: nextAttemptAt, at: now())
        metrics?.recordReadFailures(failures)
        let retry = nextAttemptAt.map { " next read at \(Self.timeText($0))" } ?? ""
        logger.warning("\(error); the running config stays (\(failures) failed read\(failures == 1 ? "" : "s") in a row)\(retry.isEmpty ? "" : ";" + retry)")
        return .unreadable(error.description)
    }

    static func timeText(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// One key that a reload cannot change on a running gamefleet.
    public struct RestartOnlyChange: Sendable, Equatable {
        public var field: String
        public var from: String
        public var to: String
        public var why: String
    }

    /// The keys that name where the fleet lives or where gamefleet listens. Changing one on a live
    /// reload would orphan the running servers (`name` is the ECS `startedBy` and the local state
    /// file; `ecs.cluster` is where tasks are listed) or be silently ignored (the AWS clients are
    /// built once, for one region and endpoint; the HTTP listener binds once), so such a file is
    /// refused whole and the running config stays: what `/v1/fleet` shows is what runs.
    public static func restartOnlyChanges(from running: FleetSpec, to new: FleetSpec) -> [RestartOnlyChange] {
        var changes: [RestartOnlyChange] = []
        func check(_ field: String, _ old: String?, _ new: String?, _ why: String) {
            guard old != new else { return }
            changes.append(RestartOnlyChange(field: field, from: old ?? "(not set)", to: new ?? "(not set)", why: why))
        }
        check("name", running.name, new.name,
              "the name is how gamefleet finds its servers (ECS startedBy, tags), and the running ones would be orphaned")
        check("provider", running.provider.rawValue, new.provider.rawValue, "a provider is chosen only at start")
        check("listen", running.listen.description, new.listen.description, "the HTTP endpoint moves only on restart")
        check("admin.listen", running.admin.listen.description, new.admin.listen.description, "the admin face moves only on restart")
        check("connections", "\(running.connections)", "\(new.connections)", "connection limits are set when the listeners open")
        check("ecs.region", running.ecs?.region, new.ecs?.region, "the AWS clients are built for one region at start")
        check("ecs.endpoint", running.ecs?.endpoint, new.ecs?.endpoint, "the AWS clients are built for one endpoint at start")
        check("ecs.cluster", running.ecs?.cluster, new.ecs?.cluster,
              "the running servers live in the old cluster and would be orphaned")
        check("ha", running.ha.map { "\($0)" }, new.ha.map { "\($0)" },
              "the lease table, its timing and the advertised address are set up once at start")
        check("local.host", running.local?.host, new.local?.host,
              "the running gameservers listen on the old host")
        check("local.stateFile", running.local?.stateFile, new.local?.stateFile,
              "the running gameservers are recorded in the old state file, which serve holds locked until it stops")
        return changes
    }

    func refuse(_ errors: [String], version: String? = nil) async -> Outcome {
        for error in errors { logger.error("\(error)") }
        logger.error("\(path)\(version.map { " version \($0)" } ?? ""): reload refused; the running config stays as it was")
        await fleet.refuse(errors: errors, at: now())
        return .refused(errors)
    }
}
