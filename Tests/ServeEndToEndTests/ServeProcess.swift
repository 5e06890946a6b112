import AsyncHTTPClient
import Foundation
import TestSupport
import Glibc
import Testing

/// One real `gamefleet serve` for one test: its own temporary fleet.yaml, its own ports, its output
/// (and its gameservers', which inherit it) in a log file whose last lines go into failure messages.
///
/// ``run(_:autostart:_:)`` always tears down what the test started, whether the body passed, failed
/// an expectation or threw: SIGTERM to gamefleet, SIGKILL if it lingers, then SIGKILL to every
/// gameserver it was seen running or that still runs on the test's ports.
final class ServeProcess {
    /// Ports of this run: `ports.listen` for gamefleet, `ports.gameservers` for its gameservers.
    let ports: PortBlock
    /// The fleet.yaml gamefleet was started with (rewrites by the test are not reflected here).
    let fleetFile: FleetFile
    /// Absolute path of the running fleet.yaml.
    let configPath: String
    /// Where gamefleet's stdout and stderr go (each ``restart()`` starts a new file).
    private(set) var logPath: String
    let directory: URL
    /// The running (or last) gamefleet; nil before the first start.
    private var child: Child?
    /// How many times gamefleet was started in this run.
    private(set) var starts = 0
    /// Gamefleet processes ended by ``killHard(within:)``.
    private var killedPids: Set<pid_t> = []
    private let client: HTTPClient
    private var started = false
    /// Every gameserver pid any snapshot showed, for the teardown and the stop checks.
    private(set) var seenPids: Set<pid_t> = []
    /// The last `/v1/fleet` read, for failure messages.
    private(set) var lastSnapshot: FleetSnapshot?
    private var players: [PlayerConnection] = []

    /// Runs `body` with gamefleet serving a fleet.yaml made from the defaults of ``FleetFile``,
    /// changed by `adjust`. With `autostart` false the body calls ``start()`` itself.
    static func run(_ adjust: (inout FleetFile) -> Void = { _ in }, autostart: Bool = true,
                    _ body: (ServeProcess) async throws -> Void) async throws {
        let serve = try ServeProcess(adjust)
        do {
            if autostart { try serve.start() }
            try await body(serve)
        } catch {
            await serve.tearDown()
            throw error
        }
        await serve.tearDown()
    }

    private init(_ adjust: (inout FleetFile) -> Void) throws {
        ports = try PortBlock.reserve()
        var file = FleetFile(ports: ports, gameserverBinary: try BuiltProduct.path("sample-gameserver"))
        adjust(&file)
        fleetFile = file
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        configPath = directory.appendingPathComponent("fleet.yaml").path
        logPath = directory.appendingPathComponent("serve.log").path
        try Self.write(file.yaml, to: configPath)
        // Last, once nothing can throw: a client must be shut down before it is released.
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(15))
        configuration.redirectConfiguration = .disallow
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Starts `gamefleet serve -c <fleet.yaml>` in the run's directory.
    func start() throws {
        if starts > 0 {
            logPath = directory.appendingPathComponent("serve-\(starts + 1).log").path
        }
        starts += 1
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        child = try Child.start(try BuiltProduct.path("gamefleet"), ["serve", "-c", configPath], directory: directory.path,
                                stdout: .file(logPath), stderr: .sameAsStandardOutput)
        started = true
    }

    var pid: pid_t { child?.processIdentifier ?? 0 }
    /// True while the gamefleet started last runs.
    var isRunning: Bool { child?.isRunning ?? false }

    // MARK: - What gamefleet says

    struct Answer {
        var status: Int
        var body: String
    }

    /// `GET http://127.0.0.1:<port><path>`; `port` defaults to gamefleet's face that serves `path`
    /// (the admin face for `/`, `/v1/…`, `/readyz` and `/metrics`). Throws when nothing answers.
    func get(_ path: String, port: Int? = nil) async throws -> Answer {
        let admin = path == "/" || path.hasPrefix("/v1/") || path.hasPrefix("/readyz") || path.hasPrefix("/metrics")
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port ?? (admin ? ports.admin : ports.listen))\(path)")
        request.headers.add(name: "Connection", value: "close")
        let response = try await client.execute(request, timeout: .seconds(15))
        var body = try await response.body.collect(upTo: 4 << 20)
        return Answer(status: Int(response.status.code), body: body.readString(length: body.readableBytes) ?? "")
    }

    /// `GET /v1/fleet`, decoded; remembers every gameserver pid it shows.
    @discardableResult
    func snapshot() async throws -> FleetSnapshot {
        let answer = try await get("/v1/fleet")
        guard answer.status == 200 else { throw ServeFailure("GET /v1/fleet answered \(answer.status): \(answer.body)") }
        let snapshot = try JSONDecoder().decode(FleetSnapshot.self, from: Data(answer.body.utf8))
        for server in snapshot.servers {
            if let pid = server.pid { seenPids.insert(pid) }
        }
        lastSnapshot = snapshot
        return snapshot
    }

    /// `GET /available-gameserver/`: the status, and the answer when it is 200.
    func allocate() async throws -> (status: Int, answer: AllocationAnswer?, body: String) {
        let answer = try await get("/available-gameserver/")
        let decoded = answer.status == 200 ? try? JSONDecoder().decode(AllocationAnswer.self, from: Data(answer.body.utf8)) : nil
        return (answer.status, decoded, answer.body)
    }

    /// A gameserver's own `GET /health/`, asked directly at `address` (127.0.0.1 only).
    func gameserverHealth(at address: String) async throws -> HealthAnswer {
        guard let port = Loopback.port(of: address) else { throw ServeFailure("\(address) is not on 127.0.0.1") }
        let answer = try await get("/health/", port: port)
        guard answer.status == 200 else { throw ServeFailure("GET http://\(address)/health/ answered \(answer.status): \(answer.body)") }
        return try JSONDecoder().decode(HealthAnswer.self, from: Data(answer.body.utf8))
    }

    /// The value of one sample of `GET /metrics`, named with its labels exactly as printed
    /// (`gamefleet_config_reloads_total{result="refused"}`); nil when it is not there.
    func metric(_ sample: String) async throws -> Double? {
        let answer = try await get("/metrics")
        guard answer.status == 200 else { throw ServeFailure("GET /metrics answered \(answer.status)") }
        for line in answer.body.split(separator: "\n") where line.hasPrefix(sample + " ") {
            return Double(line.dropFirst(sample.count + 1).split(separator: " ").first ?? "")
        }
        return nil
    }

    // MARK: - Waiting

    /// Polls `check` every 100 ms until it returns a value, and fails after `limit` with what the
    /// fleet looked like last and the end of gamefleet's log. Errors from `check` (nothing listening
    /// yet, say) count as "not yet"; gamefleet exiting fails at once.
    @discardableResult
    func waitFor<T>(_ what: String, within limit: Duration, _ check: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + limit
        var lastError: (any Error)?
        while true {
            guard isRunning else {
                throw ServeFailure("gamefleet exited (\(exitDescription)) while waiting for: \(what)" + report())
            }
            do {
                if let value = try await check() { return value }
                lastError = nil
            } catch {
                lastError = error
            }
            guard ContinuousClock.now < deadline else {
                throw ServeFailure("\(what): not seen within \(limit)" + (lastError.map { " (last error: \($0))" } ?? "") + report())
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Passes gamefleet has finished so far (the pass-duration histogram's count).
    func passCount() async throws -> Int {
        Int(try await metric("gamefleet_pass_duration_seconds_count") ?? 0)
    }

    /// Snapshots taken every 150 ms until `passes` more passes have finished, to show that something
    /// holds over that many passes. Counted in passes, not seconds: a loaded machine makes fewer
    /// passes in a second, and a hold measured in time would then prove less than it says.
    func snapshots(overPasses passes: Int) async throws -> [FleetSnapshot] {
        let target = try await passCount() + passes
        var taken: [FleetSnapshot] = []
        try await waitFor("\(passes) more passes", within: .seconds(60)) { () -> Bool? in
            let done = try await passCount() >= target
            taken.append(try await snapshot())
            return done ? true : nil
        }
        return taken
    }

    /// The last `/v1/fleet` seen and the end of the log, for a failure message.
    func report(lines: Int = 40) -> String {
        "\n--- last /v1/fleet: \(lastSnapshot?.digest ?? "none read")\n--- gamefleet log, last \(lines) lines:\n\(logTail(lines))"
    }

    func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    func logTail(_ count: Int = 40) -> String {
        log().split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }

    // MARK: - Players, files, signals

    /// Opens a player connection to `address` and keeps it open until ``disconnectPlayers()``.
    func connectPlayer(to address: String) throws {
        players.append(try PlayerConnection(address: address))
    }

    func disconnectPlayers() {
        for player in players { player.close() }
        players.removeAll()
    }

    /// Replaces fleet.yaml at once (write to a temporary file, then rename), so the watcher never
    /// reads half a file.
    func rewriteConfig(_ text: String) throws {
        try Self.write(text, to: configPath)
    }

    private static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    func send(_ signal: Int32) {
        guard started, isRunning, pid > 0 else { return }
        kill(pid, signal)
    }

    /// `kill -9` of gamefleet, as a crash or the OOM killer would: no graceful shutdown at all.
    /// Throws when it has not exited within `limit`. The exit is read from /proc: a multi-threaded
    /// process's first thread is a zombie while the others may still hold its descriptors.
    func killHard(within limit: Duration = .seconds(60)) async throws {
        let killed = pid
        send(SIGKILL)
        let deadline = ContinuousClock.now + limit
        while !Self.hasExited(killed) {
            guard ContinuousClock.now < deadline else { throw ServeFailure("gamefleet still runs \(limit) after SIGKILL") }
            try await Task.sleep(for: .milliseconds(20))
        }
        killedPids.insert(killed)
    }

    /// True when `pid` is gone, or a zombie none of whose threads still runs. The first thread of a
    /// multi-threaded process shows as a zombie while the others may still be exiting and holding
    /// the shared descriptor table (its sockets still open), hence the look at /proc/PID/task.
    static func hasExited(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0, let state = GameserverProcesses.state(of: pid) else { return true }
        guard state == "Z" || state == "X" else { return false }
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return threads.count <= 1
    }

    /// Starts gamefleet again with the same fleet.yaml, once the previous one has exited; its log
    /// goes to a new file (the previous ones stay in ``directory``).
    func restart() throws {
        guard !isRunning || killedPids.contains(pid) else { throw ServeFailure("restart: gamefleet is still running") }
        try start()
    }

    /// Waits up to `limit` for gamefleet to exit; true if it did.
    func waitForExit(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while isRunning && ContinuousClock.now < deadline {
            // A cancelled task (a time limit) still waits, without spinning: cleanup must finish.
            if Task.isCancelled { usleep(20_000) } else { try? await Task.sleep(for: .milliseconds(20)) }
        }
        return !isRunning
    }

    /// Exit status, or 128 + signal when a signal ended it; nil while it runs or before it started.
    var exitStatus: Int32? {
        guard started else { return nil }
        return child?.exitStatus
    }

    var exitDescription: String {
        guard started else { return "not started" }
        guard let child, !child.isRunning else { return "still running" }
        return child.terminationReason == .exit ? "exit status \(child.terminationStatus)" : "killed by signal \(child.terminationStatus)"
    }

    /// What a SIGTERM left behind.
    struct Stop {
        /// Gameserver pids gamefleet ran before the SIGTERM (the last /v1/fleet and /proc).
        var gameservers: [pid_t]
        /// How long gamefleet took to exit.
        var took: Duration
        /// Of `gameservers`, and of any gameserver on the run's ports, those alive after gamefleet exited.
        var survivors: [pid_t]
        /// Gameserver ports that still accept connections after gamefleet exited.
        var portsStillOpen: [Int]
    }

    /// SIGTERM, then waits up to `limit` for gamefleet to exit, then checks at once (no grace: gamefleet
    /// must have stopped them before exiting) what is left of its gameservers.
    func terminate(within limit: Duration) async throws -> Stop {
        let last = try await snapshot()
        let before = Set(last.servers.compactMap(\.pid)).union(GameserverProcesses.running(onPorts: ports.gameservers))
        let sent = ContinuousClock.now
        send(SIGTERM)
        _ = await waitForExit(within: limit)
        let took = ContinuousClock.now - sent
        let survivors = Set(before.filter(GameserverProcesses.isAlive))
            .union(GameserverProcesses.running(onPorts: ports.gameservers))
        return Stop(gameservers: before.sorted(), took: took, survivors: survivors.sorted(),
                    portsStillOpen: ports.gameservers.filter(Loopback.accepts))
    }

    /// Stops whatever is still running, quietly: this is cleanup, the test asserted what it wanted.
    func tearDown() async {
        disconnectPlayers()
        if started && isRunning {
            send(SIGTERM)
            if !(await waitForExit(within: .seconds(7))) {
                kill(pid, SIGKILL)
                _ = await waitForExit(within: .seconds(5))
            }
        }
        GameserverProcesses.killAll(seenPids.union(GameserverProcesses.running(onPorts: ports.gameservers)))
        try? await client.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A failed end-to-end step, with what the fleet and the log looked like.
struct ServeFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
