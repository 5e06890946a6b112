import AWSClient
import FleetCore
import FleetECS
import FleetRuntime
import Foundation
import Synchronization
import Testing

/// `gamefleet serve` restarted while its ECS gameservers hold players. moto leaves `createdAt` out
/// of tasks, which real ECS always sets; without it every task would look freshly launched to the
/// restarted process and hide the defect, so the fault proxy writes a real `createdAt` (two hours
/// ago) into the DescribeTasks answers for the tasks that ran before the restart.
@Suite("Restart beside running ECS gameservers (moto)", .serialized)
struct RestartMotoTests {
    /// Adds `createdAt` = `at` to the tasks `arns` in DescribeTasks answers.
    static func createdAt(_ at: Date, for arns: Set<String>) -> FaultProxy.Rewrite {
        { operation, body in
            guard operation == "DescribeTasks",
                  var object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
                  var tasks = object["tasks"] as? [[String: Any]] else { return body }
            for i in tasks.indices {
                if let arn = tasks[i]["taskArn"] as? String, arns.contains(arn) { tasks[i]["createdAt"] = at.timeIntervalSince1970 }
            }
            object["tasks"] = tasks
            return (try? Array(JSONSerialization.data(withJSONObject: object))) ?? body
        }
    }

    /// Fails the first `count` probes of each address, then asks `base`: what a restarted process
    /// sees when the network to its gameservers hiccups at the wrong moment.
    final class FirstProbesFail: HealthProber {
        let base: any HealthProber
        let count: Int
        private let seen = Mutex<[String: Int]>([:])

        init(_ base: any HealthProber, count: Int) {
            self.base = base
            self.count = count
        }

        func probe(host: String, port: Int, path: String, timeout: Duration) async -> ProbeResult {
            let n = seen.withLock { seen -> Int in
                seen["\(host):\(port)", default: 0] += 1
                return seen["\(host):\(port)"]!
            }
            if n <= count { return .failed("injected: probe \(n) after the restart fails") }
            return await base.probe(host: host, port: port, path: path, timeout: timeout)
        }
    }

    @Test("Restart with players on: address lookups throttled, then the first probe fails; nothing is stopped and the players stay")
    func restartKeepsPlayers() async throws {
        try await MotoWorld.with(instances: 3) { world in
            let proxy = try await FaultProxy.start(upstream: world.url, schedule: { _, _ in .none })
            let agent = GameserverAgent(hostIPs: world.hostIPs, port: world.hostPort, capacity: 4)
            let players = Players()
            let client = HTTPHealthProber.makeClient()
            try await cleaningUp({
                let settings = ECSProvider.Settings(
                    retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10), maxBackoff: .milliseconds(50)), callTimeout: .seconds(5))
                let spec = world.spec(endpoint: proxy.url, capacity: 4, upscaleMargin: 3, downscaleMargin: 8, minServers: 2)
                func sync() async throws { try await agent.sync(ecs: world.ecs, cluster: MotoWorld.cluster, startedBy: "gamefleet-it") }

                // The first serve: two servers up, two players on each.
                let before = try await world.withProvider(spec, settings: settings) { provider -> [ObservedServer] in
                    let fleet = FleetState(spec: spec, config: ConfigStatus(path: "fleet.yaml", hash: "1", loadedAt: Date()), metrics: FleetMetrics())
                    let reconciler = Reconciler(provider: provider, prober: LoopbackProber(HTTPHealthProber(client: client)), fleet: fleet, logger: provider.logger)
                    #expect(await reconciler.pass().plan?.count(.launch) == 2)
                    try await sync()
                    #expect(await reconciler.pass().plan?.isEmpty == true)
                    let servers = await fleet.observed?.servers ?? []
                    try #require(servers.count == 2 && servers.allSatisfy { $0.address != nil })
                    for server in servers { try players.join(2, host: server.address!.host, port: server.address!.port) }
                    let steady = await reconciler.pass()
                    #expect(steady.plan?.isEmpty == true, "4 free slots between the margins: \(steady.plan?.actions.map(\.reason) ?? [])")
                    return servers
                }
                let old = Set(before.map(\.id))

                // serve restarts. ECS says the tasks were created two hours ago; the first
                // DescribeInstances calls are throttled, so addresses are unknown in the first pass;
                // the first probe of each server fails.
                proxy.setRewrite(Self.createdAt(Date().addingTimeInterval(-7200), for: old))
                let throttledFrom = proxy.log.requests["DescribeInstances", default: 0]
                proxy.setSchedule { operation, sequence in
                    operation == "DescribeInstances" && sequence < throttledFrom + settings.retryPolicy.maxAttempts ? .throttle : .none
                }
                try await world.withProvider(spec, settings: settings) { provider in
                    let fleet = FleetState(spec: spec, config: ConfigStatus(path: "fleet.yaml", hash: "1", loadedAt: Date()), metrics: FleetMetrics())
                    let prober = LoopbackProber(FirstProbesFail(HTTPHealthProber(client: client), count: 1))
                    let reconciler = Reconciler(provider: provider, prober: prober, fleet: fleet, logger: provider.logger)

                    try await sync()
                    let unknownAddresses = await reconciler.pass()
                    #expect(unknownAddresses.error == nil)
                    #expect(unknownAddresses.plan?.count(.stop) == 0, "stopped with addresses unknown: \(unknownAddresses.plan?.actions.map(\.reason) ?? [])")
                    let first = (await fleet.observed?.servers ?? []).filter { old.contains($0.id) }
                    #expect(first.count == 2)
                    #expect(first.allSatisfy { $0.address == nil && $0.addressLookupError?.contains("DescribeInstances") == true }, "\(first.map(\.addressLookupError))")
                    #expect(first.allSatisfy { $0.launchedAt < Date().addingTimeInterval(-3600) }, "createdAt from the proxy was not used")

                    try await sync()
                    let failedProbe = await reconciler.pass()
                    #expect(failedProbe.plan?.count(.stop) == 0, "stopped after one failed probe: \(failedProbe.plan?.actions.map(\.reason) ?? [])")
                    #expect(failedProbe.probeFailures >= 2)

                    try await sync()
                    let answered = await reconciler.pass()
                    #expect(answered.plan?.count(.stop) == 0, "\(answered.plan?.actions.map(\.reason) ?? [])")
                    let after = (await fleet.observed?.servers ?? []).filter { old.contains($0.id) }
                    #expect(after.count == 2)
                    #expect(after.allSatisfy { $0.health.availableCapacity == 2 }, "the players are still there: \(after.map(\.health))")
                }
                #expect(Set(try await world.liveTasks().map(\.taskArn)).isSuperset(of: old), "a task that had players was stopped")
                #expect(proxy.log.faults[.throttle, default: 0] >= 1)
            }, then: {
                players.leave()
                await agent.stopAll()
                try? await client.shutdown()
                await proxy.stop()
            })
        }
    }
}
