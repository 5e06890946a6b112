import FleetConfig
import FleetCore
import Foundation
import Logging

/// Reloads fleet.yaml into the running service: a valid file takes effect at the next pass; an
/// invalid one is refused with the same errors `gamefleet validate` prints and the running spec
/// stays. Keys that only take effect at start (`listen`, `provider`) refuse the reload with a
/// message saying a restart is needed, rather than applying half of it.
public struct ConfigReloader: Sendable {
    public let path: String
    let fleet: FleetState
    let environment: [String: String]
    let logger: Logger
    let now: @Sendable () -> Date
    /// Told of the secrets of every file that is applied, so logs never show them.
    let mask: SecretMask?

    public init(path: String, fleet: FleetState, environment: [String: String] = ProcessInfo.processInfo.environment,
                logger: Logger, mask: SecretMask? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.path = path
        self.fleet = fleet
        self.environment = environment
        self.logger = logger
        self.mask = mask
        self.now = now
    }

    public enum Outcome: Sendable, Equatable {
        case applied(hash: String)
        case unchanged
        case refused([String])
    }

    /// The hash of the running config's bytes (what the watcher compares the file with).
    public func runningHash() async -> String {
        await fleet.config.hash
    }

    /// Reads the file and applies it if it is valid and differs from the running one.
    @discardableResult
    public func reload() async -> Outcome {
        let running = await fleet.spec
        let runningHash = await fleet.config.hash
        guard let data = FileManager.default.contents(atPath: path) else {
            return await refuse(["\(path): cannot read the file"])
        }
        let hash = contentHash(data)
        let spec: FleetSpec
        do {
            spec = try FleetLoader.parse(String(decoding: data, as: UTF8.self), file: path, environment: environment)
        } catch {
            return await refuse(error.errors.map(\.description))
        }
        let restartOnly = Self.restartOnlyChanges(from: running, to: spec).map {
            "\(path): \($0.field): changed from \($0.from) to \($0.to); \($0.why), so this file was not applied (restart gamefleet to apply it)"
        }
        if !restartOnly.isEmpty { return await refuse(restartOnly) }
        if hash == runningHash && spec == running {
            // The running file is back (e.g. a broken edit was reverted): earlier errors no longer apply.
            await fleet.reloadMatchesRunning(at: now())
            return .unchanged
        }
        mask?.add(spec.secrets)
        await fleet.adopt(spec, hash: hash, at: now())
        logger.info("reloaded \(path) (config \(hash)): takes effect at the next pass")
        return .applied(hash: hash)
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

    func refuse(_ errors: [String]) async -> Outcome {
        for error in errors { logger.error("\(error)") }
        logger.error("\(path): reload refused; the running config stays as it was")
        await fleet.refuse(errors: errors, at: now())
        return .refused(errors)
    }
}
