import AWSClient
import FleetCore
import FleetRuntime
import Foundation
import TestSupport
import Glibc
import Testing

/// The real `gamefleet serve` binary on the ECS provider against moto (through the fault proxy),
/// restarted while its gameservers hold players. After the restart ECS reports the tasks' real
/// `createdAt` (two hours ago; the proxy adds it, moto leaves it out) and the first probes fail:
/// the gameserver processes are frozen with SIGSTOP until the new serve has seen a failed probe.
@Suite("gamefleet serve restarted on ECS (moto)", .serialized)
struct ServeRestartMotoTests {
    /// `listen` is the admin face's port (what the test reads `/v1/fleet` from); the public face gets
    /// another free port.
    static func yaml(listen: Int, world: MotoWorld, endpoint: String) -> String {
        let publicPort = (try? LoopbackPorts.free()) ?? listen + 1
        return """
        name: it
        provider: ecs
        gameserver:
          capacity: 4
          health:
            path: /health/
            interval: 1s
            timeout: 500ms
            failureThreshold: 5
            startupGrace: 600s
        scaling:
          upscaleMargin: 3
          downscaleMargin: 8
          minServers: 2
          maxServers: 10
          maxLaunchesPerPass: 5
        allocation:
          strategy: packed
          backup: null
        listen: 127.0.0.1:\(publicPort)
        admin:
          listen: 127.0.0.1:\(listen)
        ecs:
          region: \(MotoWorld.region)
          cluster: \(MotoWorld.cluster)
          taskDefinition: \(world.definition.family)
          gamePort: \(world.hostPort)
          launchType: EC2
          endpoint: \(endpoint)
          addressType: private

        """
    }

    /// `gamefleet serve -c config` plus `arguments`, its output in `log`: the binary built beside the
    /// tests unless `binary` names another build.
    static func serve(config: String, log: String, arguments: [String] = [], environment: [String: String] = Moto.environment,
                      binary: URL? = nil) throws -> Child {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        return try Child.start((try binary ?? GameserverAgent.binary("gamefleet")).path, ["serve", "-c", config] + arguments,
                               environment: environment, stdout: .file(log), stderr: .sameAsStandardOutput)
    }

    /// The servers `/v1/fleet` shows, or nil while serve does not answer.
    static func observed(listen: Int, transport: AsyncHTTPClientTransport) async -> [ObservedServer]? {
        guard let answer = try? await transport.send(
            TransportRequest(method: "GET", url: "http://127.0.0.1:\(listen)/v1/fleet", headers: [], body: []), timeout: .seconds(5)),
            answer.isSuccess else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (try? decoder.decode(FleetSnapshot.self, from: Data(answer.body)))?.observed?.servers
    }

    /// Polls `/v1/fleet` until `done` holds (generous deadline: two loaded cores), or fails naming `what`.
    static func wait(_ what: String, listen: Int, transport: AsyncHTTPClientTransport, log: String,
                     _ done: ([ObservedServer]) -> Bool) async throws -> [ObservedServer] {
        let deadline = ContinuousClock.now + .seconds(90)
        var last: [ObservedServer]?
        while ContinuousClock.now < deadline {
            if let servers = await observed(listen: listen, transport: transport) {
                last = servers
                if done(servers) { return servers }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let tail = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").suffix(15).joined(separator: "\n") ?? ""
        Issue.record("timed out waiting for \(what); last servers: \(last.map { $0.map { "\($0.id) \($0.health)" } } ?? [])\n\(tail)")
        throw Moto.Unavailable(description: "timed out waiting for \(what)")
    }

    @Test("Restart serve while both gameservers hold players and the first probes fail: nothing is stopped, the players stay")
    func restartWithPlayers() async throws {
        try await MotoWorld.with(instances: 3) { world in
            let proxy = try await FaultProxy.start(upstream: world.url, schedule: { _, _ in .none })
            let agent = GameserverAgent(hostIPs: world.hostIPs, port: world.hostPort, capacity: 4)
            let players = Players()
            let syncing = Task {
                while !Task.isCancelled {
                    try? await agent.sync(ecs: world.ecs, cluster: MotoWorld.cluster, startedBy: "gamefleet-it")
                    try? await Task.sleep(for: .milliseconds(200))
                }
            }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-restart-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let config = directory.appendingPathComponent("fleet.yaml").path
            let listen = try LoopbackPorts.free()
            var running: Child?
            var frozen: [pid_t] = []
            try await cleaningUp({
                try Self.yaml(listen: listen, world: world, endpoint: proxy.url).write(toFile: config, atomically: true, encoding: .utf8)
                let firstLog = directory.appendingPathComponent("serve-1.log").path
                running = try Self.serve(config: config, log: firstLog)
                let up = try await Self.wait("two servers answering", listen: listen, transport: world.transport, log: firstLog) { servers in
                    servers.filter { $0.lifecycle == .running && $0.health.hasAnswered }.count == 2
                }
                for server in up { try players.join(2, host: server.address!.host, port: server.address!.port) }
                _ = try await Self.wait("the players counted", listen: listen, transport: world.transport, log: firstLog) { servers in
                    servers.filter { $0.health.availableCapacity == 2 }.count == 2
                }
                let old = Set(up.map(\.id))
                await ServeHAMotoTests.stop(running!)
                running = nil
                #expect(Set(try await world.liveTasks().map(\.taskArn)) == old, "a stopped serve leaves its ECS tasks running")

                // The restart: real createdAt, and gameservers that do not answer the first probes.
                proxy.setRewrite(RestartMotoTests.createdAt(Date().addingTimeInterval(-7200), for: old))
                frozen = old.compactMap { agent.pids[$0] }
                #expect(frozen.count == 2)
                for pid in frozen { kill(pid, SIGSTOP) }
                let secondLog = directory.appendingPathComponent("serve-2.log").path
                running = try Self.serve(config: config, log: secondLog)
                let failing = try await Self.wait("a failed first probe after the restart", listen: listen, transport: world.transport, log: secondLog) { servers in
                    servers.filter { old.contains($0.id) && !$0.health.hasAnswered && $0.health.consecutiveFailures >= 1 }.count == 2
                }
                #expect(failing.filter { old.contains($0.id) }.allSatisfy { $0.launchedAt < Date().addingTimeInterval(-3600) }, "createdAt was not used")
                for pid in frozen { kill(pid, SIGCONT) }
                frozen = []
                let back = try await Self.wait("the old servers answering again", listen: listen, transport: world.transport, log: secondLog) { servers in
                    servers.filter { old.contains($0.id) && $0.health.availableCapacity == 2 }.count == 2
                }
                #expect(back.filter { old.contains($0.id) }.allSatisfy { $0.lifecycle == .running })
                #expect(Set(try await world.liveTasks().map(\.taskArn)).isSuperset(of: old), "a task that held players was stopped")
                let log = (try? String(contentsOfFile: secondLog, encoding: .utf8)) ?? ""
                #expect(!log.contains("- stop"), "the restarted serve planned a stop:\n\(log.split(separator: "\n").filter { $0.contains("stop") }.joined(separator: "\n"))")
            }, then: {
                for pid in frozen { kill(pid, SIGCONT) }
                if let running { await ServeHAMotoTests.stop(running) }
                syncing.cancel()
                await syncing.value
                players.leave()
                await agent.stopAll()
                await proxy.stop()
                try? FileManager.default.removeItem(at: directory)
            })
        }
    }
}
