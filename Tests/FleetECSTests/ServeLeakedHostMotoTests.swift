import AWSClient
import FleetCore
import FleetECS
import Foundation
import Glibc
import Synchronization
import Testing
import TestSupport

/// The real `gamefleet serve` in launch-template mode (`ecs.launchTemplate`), on moto through the
/// fault proxy, killed with SIGKILL while its RunInstances is on the wire: the proxy holds the
/// answer (moto has already launched the hosts), so serve dies knowing nothing of them. The test
/// plays one host's ECS agent (RegisterContainerInstance); the other never registers. The serve
/// started next must find both by their fleet tag: it places a gameserver on the registered one,
/// terminates the other once it is older than `startupGrace` (20 s here), and launches no host for
/// the need those two already meet. ECS tasks stay frozen in their first state (moto's state
/// manager, set by ``MotoWorld``), so the gameserver placed is never probed: moto gives
/// template-launched hosts addresses outside loopback, and nothing may connect there.
@Suite("gamefleet serve killed between RunInstances and registration (moto)", .serialized)
struct ServeLeakedHostMotoTests {
    static let startupGrace = 20

    static func yaml(admin: Int, publicPort: Int, world: MotoWorld, endpoint: String) -> String {
        """
        name: it
        provider: ecs
        gameserver:
          capacity: 4
          health:
            path: /health/
            interval: 1s
            timeout: 500ms
            failureThreshold: 5
            startupGrace: \(startupGrace)s
        scaling:
          upscaleMargin: 3
          downscaleMargin: 8
          minServers: 2
          maxServers: 6
          maxLaunchesPerPass: 5
        allocation:
          strategy: packed
          backup: null
        listen: 127.0.0.1:\(publicPort)
        admin:
          listen: 127.0.0.1:\(admin)
        ecs:
          region: \(MotoWorld.region)
          cluster: \(MotoWorld.cluster)
          taskDefinition: \(world.definition.family)
          gamePort: \(world.hostPort)
          launchType: EC2
          launchTemplate: fleet-host
          endpoint: \(endpoint)
          addressType: private

        """
    }

    /// Polls `check` every 200 ms until it gives a value, or fails naming `what` with the log's tail.
    static func until<T>(_ what: String, seconds: Int, log: String, _ check: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if let value = try? await check() { return value }
            try await Task.sleep(for: .milliseconds(200))
        }
        let tail = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").suffix(15).joined(separator: "\n") ?? ""
        Issue.record("timed out waiting for \(what)\n\(tail)")
        throw Moto.Unavailable(description: "timed out waiting for \(what)")
    }

    @Test("SIGKILL right after RunInstances, one host registers, restart: it gets its gameserver, the other is terminated after startupGrace, no third host")
    func killedBetweenRunInstancesAndRegistration() async throws {
        try await MotoWorld.with(instances: 0) { world in
            try await world.createLaunchTemplate("fleet-host")
            // The first RunInstances is carried out by moto, and its answer held for 30 s.
            let proxy = try await FaultProxy.start(upstream: world.url, slowDelay: .seconds(30)) { operation, sequence in
                operation == "RunInstances" && sequence == 0 ? .slow : .none
            }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-leak-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let config = directory.appendingPathComponent("fleet.yaml").path
            let firstLog = directory.appendingPathComponent("serve-1.log").path
            let secondLog = directory.appendingPathComponent("serve-2.log").path
            let admin = try LoopbackPorts.free()
            var running: Child?
            try await cleaningUp({
                try Self.yaml(admin: admin, publicPort: try LoopbackPorts.free(), world: world, endpoint: proxy.url)
                    .write(toFile: config, atomically: true, encoding: .utf8)
                running = try ServeRestartMotoTests.serve(config: config, log: firstLog)
                _ = try await Self.until("the first serve's RunInstances", seconds: 90, log: firstLog) {
                    proxy.log.requests["RunInstances", default: 0] >= 1 ? true : nil
                }
                kill(running!.processIdentifier, SIGKILL)
                await ServeHAMotoTests.stop(running!)
                running = nil

                // moto launched the hosts; the serve that asked never heard of them.
                let tagged = [EC2Filter.tag(FleetLabels.fleetTag, "it"), EC2Filter(name: "instance-state-name", values: ["pending", "running"])]
                let hosts = try await Self.until("the hosts in EC2", seconds: 30, log: firstLog) {
                    let found = try await world.ec2.describeInstances(filters: tagged).map(\.instanceID).sorted()
                    return found.count == 2 ? found : nil
                }
                let (used, stray) = (hosts[0], hosts[1])
                let container = try await MotoWorld.register(used, ecs: world.ecs)

                running = try ServeRestartMotoTests.serve(config: config, log: secondLog)
                // The registered host gets its gameserver: a task on its container instance.
                _ = try await Self.until("a gameserver placed on \(used)", seconds: 90, log: secondLog) {
                    try await world.liveTasks().first { $0.containerInstanceArn == container }
                }
                #expect(try await world.liveTasks().count == 1, "one gameserver, on the registered host")
                // The other, never registered, is terminated once older than startupGrace.
                _ = try await Self.until("\(stray) terminated", seconds: Self.startupGrace + 90, log: secondLog) {
                    let state = try await world.ec2.describeInstances(ids: [stray]).first?.state
                    return state == "shutting-down" || state == "terminated" ? true : nil
                }
                let log = (try? String(contentsOfFile: secondLog, encoding: .utf8)) ?? ""
                let lines = log.split(separator: "\n")
                let stop = try #require(lines.firstIndex { $0.contains("- stop \(stray)") }, "no planned stop of \(stray) in the log")
                #expect(lines[stop].contains("did not register"), "\(lines[stop])")
                // No host launched for the need the two found hosts met: before the pass that
                // terminates the stray, the restarted serve planned only the placement.
                let newHosts = lines[..<stop].filter { $0.contains("+ launch ") && !$0.contains(" on i-") }
                #expect(newHosts.isEmpty, "the restarted serve launched a host while two of its own were booting:\n\(newHosts.joined(separator: "\n"))")
                #expect(lines[..<stop].contains { $0.contains("+ launch ") && $0.contains(" on \(used)") }, "the placement was not planned before the stop")
            }, then: {
                if let running { await ServeHAMotoTests.stop(running) }
                await proxy.stop()
                try? FileManager.default.removeItem(at: directory)
            })
        }
    }
}
