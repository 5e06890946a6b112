import FleetCore
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Runs gameservers as child processes of gamefleet, for development and demos with no cloud at all.
///
/// - launch: starts `local.command` with `{port}` and `{capacity}` filled in, on the first port of
///   `local.ports` that no child holds and that is free to bind.
/// - standby/activate: a flag kept in memory (lost on restart, when the children are gone anyway).
/// - stop: SIGTERM, then SIGKILL after `stopGrace`.
/// - A child that exits on its own is gone on the next observation, and the planner replaces it.
///   One that exits within `launchSettle` of its start is a failed launch (a command that cannot run
///   its gameserver), so failed launches back off rather than respawn at the loop's full speed.
/// - ``shutdown()`` stops every child, so no gameserver outlives gamefleet's graceful shutdown.
public actor LocalProvider: FleetProvider {
    struct Child {
        let id: String
        let port: Int
        let process: ChildProcess
        let launchedAt: Date
        let taskDefinition: String
        var standby = false
        var stopRequestedAt: Date?
        var killed = false
    }

    var children: [String: Child] = [:]
    let stopGrace: Duration
    /// How long a new child must stay up for its launch to count as done.
    let launchSettle: Duration
    let logger: Logger
    let now: @Sendable () -> Date

    public init(stopGrace: Duration = .seconds(5), launchSettle: Duration = .milliseconds(200), logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.stopGrace = stopGrace
        self.launchSettle = launchSettle
        self.logger = logger
        self.now = now
    }

    public func servers(spec: FleetSpec) async throws -> [ObservedServer] {
        reap()
        let host = spec.local?.host ?? "127.0.0.1"
        return children.values.sorted { $0.port < $1.port }.map { child in
            ObservedServer(
                id: child.id, address: HostPort(host: host, port: child.port), taskDefinition: child.taskDefinition,
                lifecycle: child.stopRequestedAt == nil ? .running : .stopping, standby: child.standby,
                launchedAt: child.launchedAt)
        }
    }

    /// Forgets children that have exited, and hard-kills those that ignored SIGTERM for too long.
    func reap() {
        let time = now()
        for (id, child) in children {
            if !child.process.isRunning {
                if child.stopRequestedAt == nil {
                    logger.warning("gameserver \(id) exited on its own (\(child.process.howItEnded)); it will be replaced")
                }
                children[id] = nil
            } else if let asked = child.stopRequestedAt, !child.killed, time.timeIntervalSince(asked) > stopGrace.seconds {
                logger.warning("gameserver \(id) ignored SIGTERM for \(DurationText.format(stopGrace)); sending SIGKILL")
                child.process.send(SIGKILL)
                children[id]?.killed = true
            }
        }
    }

    public func apply(_ actions: [Action], spec: FleetSpec) async -> [ActionOutcome] {
        var outcomes: [ActionOutcome] = []
        for action in actions {
            switch action.kind {
            case .launch:
                do {
                    let id = try launch(spec: spec)
                    outcomes.append(ActionOutcome(action: action, launched: id))
                } catch {
                    outcomes.append(ActionOutcome(action: action, error: "launch: \(error)"))
                }
            case .standby, .activate:
                guard let id = action.server, children[id] != nil else {
                    outcomes.append(ActionOutcome(action: action, error: "\(action.kind.rawValue): no such gameserver \(action.server ?? "?")"))
                    continue
                }
                children[id]?.standby = action.kind == .standby
                outcomes.append(ActionOutcome(action: action))
            case .stop:
                guard let id = action.server, let child = children[id] else {
                    // Already gone: the goal of the action holds.
                    outcomes.append(ActionOutcome(action: action))
                    continue
                }
                if child.stopRequestedAt == nil {
                    children[id]?.stopRequestedAt = now()
                    child.process.send(SIGTERM)
                }
                outcomes.append(ActionOutcome(action: action))
            }
        }
        return await settle(outcomes)
    }

    /// Waits `launchSettle` once for all of this apply's launches, and turns a launch whose child
    /// already exited into a failure that says how it ended.
    func settle(_ outcomes: [ActionOutcome]) async -> [ActionOutcome] {
        guard outcomes.contains(where: { $0.launched != nil }), launchSettle > .zero else { return outcomes }
        try? await Task.sleep(for: launchSettle)
        return outcomes.map { outcome in
            guard let id = outcome.launched, let child = children[id], !child.process.isRunning else { return outcome }
            children[id] = nil
            return ActionOutcome(action: outcome.action,
                                 error: "launch: local.command exited at once (\(child.process.howItEnded)) on port \(child.port)")
        }
    }

    struct LaunchError: Error, CustomStringConvertible {
        var description: String
    }

    func launch(spec: FleetSpec) throws -> String {
        guard let local = spec.local else { throw LaunchError(description: "the fleet has no local: section") }
        let taken = Set(children.values.map(\.port))
        guard let port = local.ports.first(where: { !taken.contains($0) && PortCheck.isFree(host: local.host, port: $0) }) else {
            throw LaunchError(description: "no free port left in local.ports \(local.ports.lowerBound)-\(local.ports.upperBound)")
        }
        let arguments = local.command.map {
            $0.replacingOccurrences(of: "{port}", with: String(port))
                .replacingOccurrences(of: "{capacity}", with: String(spec.gameserver.capacity))
                .replacingOccurrences(of: "{host}", with: local.host)
        }
        let process: ChildProcess
        do {
            process = try ChildProcess(arguments: arguments)
        } catch {
            throw LaunchError(description: "\(error)")
        }
        let id = "local-\(port)-\(process.pid)"
        children[id] = Child(id: id, port: port, process: process, launchedAt: now(), taskDefinition: spec.taskDefinition)
        logger.info("started gameserver \(id): \(arguments.joined(separator: " "))")
        return id
    }

    /// Stops every child: SIGTERM, wait up to `stopGrace`, then SIGKILL whatever is left.
    public func shutdown() async {
        guard !children.isEmpty else { return }
        logger.info("stopping \(children.count) gameserver process(es)")
        for child in children.values where child.process.isRunning {
            child.process.send(SIGTERM)
        }
        let deadline = ContinuousClock.now + stopGrace
        while children.values.contains(where: { $0.process.isRunning }) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        for child in children.values where child.process.isRunning {
            logger.warning("gameserver \(child.id) ignored SIGTERM; sending SIGKILL")
            child.process.send(SIGKILL)
            child.process.waitForExit()
        }
        children.removeAll()
    }
}

/// Whether a TCP port can be bound on a host right now.
enum PortCheck {
    static func isFree(host: String, port: Int) -> Bool {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &addr.sin_addr) == 1 else {
            return true  // not an IPv4 literal: let the gameserver itself try
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let result = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}
