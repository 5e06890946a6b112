import AWSClient
import FleetCore
import FleetECS
import FleetRuntime
import Foundation
import Testing

/// Observing changes nothing: `plan`, `observe`, `serve --dry-run` and `apply` before its `yes`
/// make only Describe*/List* calls, even when hosts need repair (`ecs.launchTemplate`). Every AWS
/// request is recorded twice: by the fault proxy on the wire (the action name of each HTTP
/// request) and by the provider's own call counter.
@Suite("Observing is read-only (moto)", .serialized)
struct ReadOnlyTests {
    /// Fails every probe without any network: the hosts moto makes up are not ours to reach.
    struct SilentProber: HealthProber {
        func probe(host: String, port: Int, path: String, timeout: Duration) async -> ProbeResult { .failed("not probed in this test") }
    }

    static func mutating(_ operations: some Sequence<String>) -> [String] {
        operations.filter { !$0.hasPrefix("Describe") && !$0.hasPrefix("List") }.sorted()
    }

    @Test("Observe, plan and a dry-run pass over a host awaiting its gameserver and one whose gameserver ended: no mutating call; the plan holds the repairs")
    func observingIsReadOnly() async throws {
        try await MotoWorld.with(instances: 0) { world in
            try await world.createLaunchTemplate("fleet-host")
            let proxy = try await FaultProxy.start(upstream: world.url, schedule: { _, _ in .none })
            try await cleaningUp({
                let spec = world.spec(endpoint: proxy.url, minServers: 3, launchTemplate: "fleet-host")
                try await world.withProvider(spec) { provider in
                    // Set up (mutating, not counted): three hosts; the first two get their gameserver,
                    // the second's ends on its own, the third registers and waits.
                    let hosts = await provider.apply(ApplyTests.launches(3), spec: spec).compactMap(\.launched)
                    try #require(hosts.count == 3)
                    var tasks: [String: String] = [:]
                    for host in hosts.prefix(2) {
                        _ = try await MotoWorld.register(host, ecs: world.ecs)
                        let placed = await provider.apply(
                            [Action(kind: .launch, server: host, taskDefinition: spec.taskDefinition, code: .belowUpscaleMargin, reason: "test set-up")], spec: spec)
                        tasks[host] = try #require(placed.first?.launched, "\(placed.compactMap(\.error))")
                        _ = try await provider.servers(spec: spec)
                    }
                    _ = try await world.ecs.stopTask(cluster: MotoWorld.cluster, task: tasks[hosts[1]]!, reason: "the gameserver crashed")
                    _ = try await MotoWorld.register(hosts[2], ecs: world.ecs)

                    // Counted from here: observe, plan, a dry-run serve pass, and a one-off
                    // observation by a new provider (what `gamefleet plan`/`observe`/`apply` do).
                    let wireBefore = proxy.log.requests
                    provider.calls.reset()
                    let servers = try await provider.servers(spec: spec)
                    let plan = Planner.plan(spec: spec, observed: ObservedState(servers: servers), now: Date())
                    let fleet = FleetState(spec: spec, config: ConfigStatus(path: "fleet.yaml", hash: "1", loadedAt: Date()), metrics: FleetMetrics())
                    let dryRun = Reconciler(provider: provider, prober: SilentProber(), fleet: fleet, logger: provider.logger, dryRun: true)
                    let report = await dryRun.pass()
                    let oneOff = try await world.withProvider(spec) { fresh in
                        let observed = try await Reconciler(provider: fresh, prober: SilentProber(), fleet: fleet, logger: fresh.logger).observe()
                        #expect(fresh.calls.counts.total > 0)
                        #expect(Self.mutating(fresh.calls.counts.calls.keys).isEmpty, "a one-off observation called \(fresh.calls.counts)")
                        return observed
                    }

                    let wire = proxy.log.requests.filter { $0.value > wireBefore[$0.key, default: 0] }
                    #expect(!wire.isEmpty)
                    #expect(Self.mutating(wire.keys).isEmpty, "mutating AWS calls while only observing: \(wire)")
                    #expect(Self.mutating(provider.calls.counts.calls.keys).isEmpty, "\(provider.calls.counts)")
                    #expect(try await world.ec2.describeInstances(ids: hosts).allSatisfy { $0.state == "running" || $0.state == "pending" })

                    // The repairs are in the plan (and the dry run's), for people to read and apply.
                    #expect(servers.first { $0.id == hosts[1] }?.host == .gameserverEnded)
                    #expect(servers.first { $0.id == hosts[2] }?.host == .awaitingGameserver)
                    for p in [plan, report.plan] {
                        #expect(p?.actions.contains { $0.kind == .stop && $0.server == hosts[1] } == true, "\(p?.actions ?? [])")
                        #expect(p?.actions.contains { $0.kind == .launch && $0.server == hosts[2] } == true, "\(p?.actions ?? [])")
                    }
                    #expect(report.outcomes.isEmpty)
                    #expect(oneOff.servers.contains { $0.id == hosts[2] && $0.host == .awaitingGameserver })

                    // Applied, the plan does what observing used to do behind people's backs.
                    let repairs = plan.actions.filter { $0.server == hosts[1] || $0.server == hosts[2] }
                    let outcomes = await provider.apply(repairs, spec: spec)
                    #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
                    let ended = try await world.ec2.describeInstances(ids: [hosts[1]]).first?.state
                    #expect(ended == "shutting-down" || ended == "terminated")
                }
            }, then: { await proxy.stop() })
        }
    }
}
