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

    public init(path: String, fleet: FleetState, environment: [String: String] = ProcessInfo.processInfo.environment,
                logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.path = path
        self.fleet = fleet
        self.environment = environment
        self.logger = logger
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
        var restartOnly: [String] = []
        if spec.listen != running.listen {
            restartOnly.append("\(path): listen: changed from \(running.listen) to \(spec.listen); the HTTP endpoint moves only on restart, so this file was not applied (restart gamefleet to apply it)")
        }
        if spec.provider != running.provider {
            restartOnly.append("\(path): provider: changed from \(running.provider.rawValue) to \(spec.provider.rawValue); a provider is chosen only at start, so this file was not applied (restart gamefleet to apply it)")
        }
        if !restartOnly.isEmpty { return await refuse(restartOnly) }
        if hash == runningHash && spec == running {
            // The running file is back (e.g. a broken edit was reverted): earlier errors no longer apply.
            await fleet.reloadMatchesRunning(at: now())
            return .unchanged
        }
        await fleet.adopt(spec, hash: hash, at: now())
        logger.info("reloaded \(path) (config \(hash)): takes effect at the next pass")
        return .applied(hash: hash)
    }

    func refuse(_ errors: [String]) async -> Outcome {
        for error in errors { logger.error("\(error)") }
        logger.error("\(path): reload refused; the running config stays as it was")
        await fleet.refuse(errors: errors, at: now())
        return .refused(errors)
    }
}
