import AWSClient
import FleetECS
import Foundation
import TestSupport
import Glibc
import Synchronization

/// Plays the ECS agent for moto, which runs no containers: every RUNNING task of the fleet gets a
/// real `sample-gameserver` process listening at its instance's `127.0.0.x` and the static host
/// port, and a task that is no longer running loses its process. The agent works from ECS's
/// records and its own map of container instances to IPs, never from what the provider reports.
final class GameserverAgent: Sendable {
    let hostIPs: [String: String]
    let port: Int
    let capacity: Int
    private let processes = Mutex<[String: Child]>([:])

    init(hostIPs: [String: String], port: Int, capacity: Int) {
        self.hostIPs = hostIPs
        self.port = port
        self.capacity = capacity
    }

    /// The pids of the gameserver processes that run, by task ARN.
    var pids: [String: pid_t] { processes.withLock { $0.filter { $0.value.isRunning }.mapValues(\.processIdentifier) } }

    /// How many gameserver processes run.
    var running: Int { processes.withLock { $0.values.filter(\.isRunning).count } }

    /// Starts and stops processes so that they match the fleet's running tasks.
    func sync(ecs: ECSClient, cluster: String, startedBy: String) async throws {
        let arns = try await ecs.listTasks(ECSListTasksRequest(cluster: cluster, startedBy: startedBy))
        let tasks = arns.isEmpty ? [] : try await ecs.describeTasks(cluster: cluster, tasks: arns, includeTags: false).tasks
        let wanted = Dictionary(uniqueKeysWithValues: tasks.compactMap { task -> (String, String)? in
            guard task.lastStatus == "RUNNING", task.desiredStatus == "RUNNING", let ip = task.containerInstanceArn.flatMap({ hostIPs[$0] }) else { return nil }
            return (task.taskArn, ip)
        })
        let stale = processes.withLock { current in current.filter { wanted[$0.key] == nil } }
        for (arn, process) in stale {
            await Self.terminate(process)
            processes.withLock { $0[arn] = nil }
        }
        for (arn, ip) in wanted where processes.withLock({ $0[arn] == nil }) {
            let process = try await start(host: ip)
            processes.withLock { $0[arn] = process }
        }
    }

    func stopAll() async {
        for process in processes.withLock({ $0.values }) { await Self.terminate(process) }
        processes.withLock { $0 = [:] }
    }

    private func start(host: String) async throws -> Child {
        let process = try Child.start(try Self.binary().path, ["--port", String(port), "--capacity", String(capacity), "--host", host])
        // Ready once it accepts a connection (a probe-like connect, closed at once). Waited for asleep
        // (no thread of the cooperative pool held), for up to a minute on a loaded machine.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let socket = try? Players.connect(host: host, port: port) {
                close(socket)
                return process
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        await Self.terminate(process)
        throw Moto.Unavailable(description: "sample-gameserver did not listen on \(host):\(port)")
    }

    /// SIGTERM, then SIGKILL past 10 s; waits asleep, holding no thread of the cooperative pool.
    static func terminate(_ process: Child) async {
        await ServeHAMotoTests.stop(process, signal: SIGTERM, grace: .seconds(10))
    }

    /// The `sample-gameserver` (or another product, `name`) SwiftPM built beside the test bundle.
    static func binary(_ name: String = "sample-gameserver") throws -> URL {
        var directories = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(), URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
        }
        let candidates = directories.map { $0.appendingPathComponent(name).standardizedFileURL }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw Moto.Unavailable(description: "\(name) not built; looked in \(candidates.map(\.path))")
        }
        return found
    }
}

/// Players: TCP connections held open to a gameserver (each counts as one player).
final class Players: Sendable {
    private let sockets = Mutex<[Int32]>([])

    /// Connects `count` players to `host:port`.
    func join(_ count: Int, host: String, port: Int) throws {
        for _ in 0..<count {
            let socket = try Self.connect(host: host, port: port)
            sockets.withLock { $0.append(socket) }
        }
    }

    /// Disconnects everyone.
    func leave() {
        for socket in sockets.withLock({ $0 }) { close(socket) }
        sockets.withLock { $0 = [] }
    }

    /// Connects to `host:port`, which must be on the loopback range: tests never reach out.
    static func connect(host: String, port: Int) throws -> Int32 {
        guard host.hasPrefix("127.") else { throw Moto.Unavailable(description: "refusing to connect to \(host): not a loopback address") }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Moto.Unavailable(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(fd)
            throw Moto.Unavailable(description: "not an IPv4 address: \(host)")
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw Moto.Unavailable(description: "connect \(host):\(port): errno \(errno)")
        }
        return fd
    }
}
