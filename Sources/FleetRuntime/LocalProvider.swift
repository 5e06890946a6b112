import FleetCore
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Runs gameservers as processes on this machine, for development and demos with no cloud at all.
///
/// - launch: starts `local.command` with `{port}` and `{capacity}` filled in, on the first port of
///   `local.ports` that no server holds and that is free to bind. The process gets none of
///   gamefleet's descriptors beyond stdio (see ``ChildProcess``).
/// - standby/activate: a flag, kept in the state file.
/// - stop: SIGTERM, then SIGKILL after `stopGrace`.
/// - A process that exits on its own is gone on the next observation, and the planner replaces it.
///   One that exits within `launchSettle` of its start is a failed launch (a command that cannot run
///   its gameserver), so failed launches back off rather than respawn at the loop's full speed.
/// - ``shutdown()`` stops every server and removes the state file, so no gameserver outlives
///   gamefleet's graceful shutdown.
///
/// With a state file (``init(stateFile:fleet:stopGrace:logger:now:)``), every change is written to
/// it (``LocalStateFile``), and a gamefleet started after a crash or `kill -9` adopts the processes
/// it lists that still run: same pid *and* same start time, so a recycled pid is never adopted. An
/// adopted server keeps its id, port, launchedAt, standby and players; it is not our child, so its
/// exit is seen through /proc rather than `waitpid`.
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
    /// Nil when the provider keeps no state file (tests of process handling alone, or a dry run).
    let store: Store?
    /// Set for a dry run (``init(observing:fleet:logger:)``): the state file another gamefleet keeps,
    /// read afresh at every observation and never written.
    let observed: LocalStateFile?
    let fleet: String?

    /// A provider that remembers its servers only in memory: a gamefleet killed outright leaves them
    /// running, unknown to the next one.
    public init(stopGrace: Duration = .seconds(5), launchSettle: Duration = .milliseconds(200), logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.stopGrace = stopGrace
        self.launchSettle = launchSettle
        self.logger = logger
        self.now = now
        store = nil
        observed = nil
        fleet = nil
    }

    /// A read-only provider for `serve --dry-run`: each observation lists the gameservers of
    /// `stateFile` that still run (the fleet a running or killed gamefleet keeps there), without taking
    /// the lock, writing the file or signalling anything; ``shutdown()`` stops nothing. Launches are
    /// never applied in a dry run; if asked anyway, every action fails.
    public init(observing stateFile: URL, fleet: String, logger: Logger) {
        stopGrace = .seconds(5)
        launchSettle = .zero
        self.logger = logger
        now = { Date() }
        store = nil
        observed = LocalStateFile(path: stateFile)
        self.fleet = fleet
    }

    /// A provider that keeps `stateFile` for the fleet named `fleet`, and adopts the still-running
    /// gameservers it lists. Throws, naming the file, when the file cannot be read or written, belongs
    /// to another fleet, or another gamefleet holds its lock: starting anyway would launch a second
    /// fleet beside the first.
    public init(stateFile: URL, fleet: String, stopGrace: Duration = .seconds(5), launchSettle: Duration = .milliseconds(200),
                logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) throws {
        let store = try Store(file: LocalStateFile(path: stateFile), fleet: fleet)
        let survivors = try Self.adopt(from: store.file, fleet: fleet, logger: logger)
        self.stopGrace = stopGrace
        self.launchSettle = launchSettle
        self.logger = logger
        self.now = now
        self.store = store
        observed = nil
        self.fleet = fleet
        children = survivors
        try store.save(Self.records(survivors, logger: logger))
    }

    /// Where a fleet's state file lives: `configured` (`local.stateFile`) when set, taken from the fleet
    /// file's directory when relative; otherwise `.gamefleet/<name>.state.json` in that directory.
    public static func stateFileLocation(configured: String?, configPath: String, fleet: String) -> URL {
        LocalStateFile.location(configured: configured, configPath: configPath, fleet: fleet)
    }

    /// The processes of the state file that still run as the very processes that were started.
    /// With `quiet`, nothing is logged at info level (a dry run reads the file at every pass).
    static func adopt(from file: LocalStateFile, fleet: String, logger: Logger, quiet: Bool = false) throws -> [String: Child] {
        guard let contents = try file.read() else { return [:] }
        let path = file.path.path
        guard contents.fleet == fleet else {
            throw LocalStateFile.Unreadable(description: "\(path): the local state file belongs to fleet '\(contents.fleet)', not '\(fleet)'; give each fleet its own local.stateFile")
        }
        if let recorded = contents.bootID, let current = ProcessIdentity.bootID, recorded != current {
            if !quiet { logger.notice("\(path) was written before the machine restarted: its \(contents.servers.count) gameserver(s) are gone") }
            return [:]
        }
        var adopted: [String: Child] = [:]
        for server in contents.servers {
            let recorded = ProcessIdentity(pid: server.pid, startTime: server.startTime)
            guard recorded.isRunning else {
                if quiet {
                    continue
                } else if let other = ProcessIdentity.current(pid: server.pid), other.startTime != server.startTime {
                    logger.notice("gameserver \(server.id) is gone: pid \(server.pid) now belongs to another process (start time \(other.startTime), not \(server.startTime)); not adopted")
                } else {
                    logger.notice("gameserver \(server.id) (pid \(server.pid)) exited while no gamefleet ran; not adopted")
                }
                continue
            }
            adopted[server.id] = Child(
                id: server.id, port: server.port, process: ChildProcess(adopting: recorded), launchedAt: server.launchedAt,
                taskDefinition: server.taskDefinition, standby: server.standby, stopRequestedAt: server.stopRequestedAt)
            if quiet { continue }
            logger.info("adopted gameserver \(server.id) (pid \(server.pid), port \(server.port)\(server.standby ? ", standby" : "")\(server.stopRequestedAt != nil ? ", stopping" : "")) left running by gamefleet pid \(contents.writtenBy)")
        }
        return adopted
    }

    public func servers(spec: FleetSpec) async throws -> [ObservedServer] {
        if let observed, let fleet {
            // Only what runs now, as listed; nothing reaped or killed: these are not ours.
            children = try Self.adopt(from: observed, fleet: fleet, logger: logger, quiet: true)
        } else {
            reap()
            saveState()
        }
        let host = spec.local?.host ?? "127.0.0.1"
        return children.values.sorted { $0.port < $1.port }.map { child in
            ObservedServer(
                id: child.id, address: HostPort(host: host, port: child.port), taskDefinition: child.taskDefinition,
                lifecycle: child.stopRequestedAt == nil ? .running : .stopping, standby: child.standby,
                launchedAt: child.launchedAt)
        }
    }

    /// Forgets servers that have exited, and hard-kills those that ignored SIGTERM for too long.
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
        if observed != nil {
            return actions.map { ActionOutcome(action: $0, error: "\($0.kind.rawValue): this gamefleet only observes the fleet (dry run)") }
        }
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
            // After every action, not once per batch: a gamefleet killed between two launches must
            // still know of the first.
            saveState()
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

    /// Stops every server: SIGTERM, wait up to `stopGrace`, then SIGKILL whatever is left; then
    /// removes the state file and releases its lock.
    public func shutdown() async {
        // A dry run observed another gamefleet's servers: they are not its to stop.
        if observed != nil { return }
        if !children.isEmpty {
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
        guard let store else { return }
        do {
            try store.file.remove()
        } catch {
            logger.error("\(error)")
        }
        store.lock.release()
    }

    /// Writes the state file when what it would say has changed; a failure is logged (once per
    /// distinct message) and retried at the next change or pass, and the fleet keeps running.
    func saveState() {
        guard let store else { return }
        do {
            try store.save(Self.records(children, logger: logger))
        } catch {
            let message = "\(error)"
            if store.lastError != message {
                logger.error("\(message); until it can be written, a gamefleet killed outright would leave these gameservers unknown to the next")
            }
            store.lastError = message
        }
    }

    static func records(_ children: [String: Child], logger: Logger) -> [LocalStateFile.Server] {
        children.values.sorted { $0.port < $1.port }.compactMap { child in
            guard let identity = child.process.identity else {
                logger.warning("gameserver \(child.id): cannot read /proc/\(child.process.pid)/stat; it is left out of the state file")
                return nil
            }
            return LocalStateFile.Server(
                id: child.id, pid: identity.pid, startTime: identity.startTime, port: child.port, standby: child.standby,
                launchedAt: child.launchedAt, taskDefinition: child.taskDefinition, stopRequestedAt: child.stopRequestedAt)
        }
    }

    /// The state file, its lock, and what was last written, used only from inside the actor.
    final class Store: @unchecked Sendable {
        let file: LocalStateFile
        let fleet: String
        let lock: StateFileLock
        var lastWritten: Data?
        var lastError: String?

        init(file: LocalStateFile, fleet: String) throws {
            try Self.makeDirectory(file.path.deletingLastPathComponent(), for: file)
            self.file = file
            self.fleet = fleet
            lock = try StateFileLock(path: file.path.path + ".lock")
        }

        /// `mkdir -p`, with the system's reason (not Foundation's generic one) when it fails.
        static func makeDirectory(_ directory: URL, for file: LocalStateFile) throws {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    throw LocalStateFile.Unreadable(description: "\(file.path.path): cannot keep the local state file there: \(directory.path) is not a directory")
                }
                return
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path != directory.path { try makeDirectory(parent, for: file) }
            guard mkdir(directory.path, 0o755) == 0 || errno == EEXIST else {
                throw LocalStateFile.Unreadable(description: "\(file.path.path): cannot create the directory \(directory.path) for the local state file: \(String(cString: strerror(errno)))")
            }
        }

        /// Writes the file unless it would say what it already says.
        func save(_ servers: [LocalStateFile.Server]) throws {
            let contents = LocalStateFile.Contents(fleet: fleet, bootID: ProcessIdentity.bootID, writtenBy: getpid(), servers: servers)
            let data = try LocalStateFile.encoder.encode(contents)
            guard data != lastWritten else { return }
            try file.write(data)
            lastWritten = data
            lastError = nil
        }
    }
}

/// Whether a TCP port can be bound on a host right now (the local provider's free ports; serve
/// names the listen address that is taken).
public enum PortCheck {
    public static func isFree(host: String, port: Int) -> Bool {
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
