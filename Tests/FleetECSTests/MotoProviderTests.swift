import AWSClient
import FleetCore
import FleetECS
import FleetRuntime
import Foundation
import Testing

/// The provider against moto's real server over real HTTP, with real gameserver processes on
/// 127.0.0.x standing in for the containers moto does not run.
///
/// What moto cannot do, and how these tests cope:
/// - it runs no containers: ``GameserverAgent`` starts a `sample-gameserver` at each running
///   task's instance IP and static host port, and stops it when the task stops;
/// - it reports no network bindings, so addresses come from the task definition's static host
///   port (the fallback the provider has for ECS before a container starts);
/// - it leaves out `createdAt`/`startedAt`: launch times come from the provider's first sight;
/// - it ignores `clientToken` and placement constraints (the fault proxy stands in for the
///   token memory; see FaultTests);
/// - it moves tasks towards STOPPED on every DescribeTasks: transitions are frozen;
/// - it never paginates ListTasks or ListContainerInstances: these tests go through the fault
///   proxy paging by 1 (see `FaultProxy+Paging.swift`), so every listing of two or more takes pages;
/// - it lists stopped tasks whatever the filter (the provider leaves tasks whose last status is
///   STOPPED out);
/// - it crashes on awsvpc tasks, so awsvpc addresses are covered by the unit tests only.
@Suite("ECS provider against moto", .serialized)
struct MotoProviderTests {
    @Test("Observe → plan → apply → observe: launched, parked by tag, recovered by a new provider, stopped")
    func lifecycle() async throws {
        try await MotoWorld.with(instances: 3) { world in
            let proxy = try await FaultProxy.start(upstream: world.url, schedule: { _, _ in .none })
            proxy.setPageSize(1)
            try await cleaningUp({
            let spec = world.spec(endpoint: proxy.url)
            try await world.withProvider(spec) { provider in
            try await world.withProvider(spec) { restarted in
            var servers = try await provider.servers(spec: spec)
            #expect(servers.isEmpty)
            let plan = Planner.plan(spec: spec, observed: ObservedState(servers: servers), now: Date())
            #expect(plan.count(.launch) == 2, "minServers 2")
            let launched = await provider.apply(plan.actions, spec: spec)
            #expect(launched.allSatisfy { $0.succeeded }, "\(launched.compactMap(\.error))")

            servers = try await provider.servers(spec: spec)
            #expect(Set(servers.map(\.id)) == Set(launched.compactMap(\.launched)))
            #expect(servers.allSatisfy { $0.lifecycle == .running && !$0.standby && $0.taskDefinition == spec.taskDefinition })
            let hostAddresses = Set(world.hostIPs.values.map { HostPort(host: $0, port: world.hostPort) })
            #expect(servers.allSatisfy { $0.address.map(hostAddresses.contains) == true }, "\(servers.map(\.address))")
            #expect(Set(servers.compactMap(\.address)).count == 2, "one task per instance: the static host port is taken")
            for task in try await world.liveTasks() {
                #expect(task.tag("gamefleet:fleet") == "it")
                #expect(task.tag("managed-by") == "gamefleet")
                #expect(task.startedBy == "gamefleet-it")
            }

            let parked = servers[0]
            let standby = await provider.apply([.on(.standby, parked, code: .aboveDownscaleMargin, reason: "free slots 8 > downscale margin 6")], spec: spec)
            #expect(standby.allSatisfy { $0.succeeded }, "\(standby.compactMap(\.error))")
            #expect(try await provider.servers(spec: spec).first { $0.id == parked.id }?.standby == true)

            // A new provider knows nothing but what ECS says: standby comes from the tag.
            let recovered = try await restarted.servers(spec: spec)
            #expect(recovered.map(\.id).sorted() == servers.map(\.id).sorted())
            #expect(recovered.first { $0.id == parked.id }?.standby == true)
            #expect(recovered.filter(\.standby).count == 1)
            #expect(recovered.first { $0.id == parked.id }?.address == parked.address)

            let stopped = await restarted.apply([.on(.stop, parked, code: .readyToClose, reason: "in standby and ready to close")], spec: spec)
            #expect(stopped.allSatisfy { $0.succeeded }, "\(stopped.compactMap(\.error))")
            let after = try await restarted.servers(spec: spec)
            #expect(after.map(\.id) == servers.filter { $0.id != parked.id }.map(\.id))
            let record = try await world.ecs.describeTasks(cluster: MotoWorld.cluster, tasks: [parked.id]).tasks.first
            #expect(record?.stoppedReason == "gamefleet: in standby and ready to close")
            #expect(record?.desiredStatus == "STOPPED")
            // "Why did my server go", from what moto's DescribeTasks says of the task that left.
            let gone = await restarted.recentlyStopped(spec: spec)
            #expect(gone.map(\.id) == [parked.id])
            #expect(gone.first?.stoppedReason == "gamefleet: in standby and ready to close")
            #expect(await provider.recentlyStopped(spec: spec).isEmpty, "the other provider saw no stop")
            #expect(proxy.log.pages["ListTasks", default: 0] > 0)
            }
            }
            }, then: { await proxy.stop() })
        }
    }

    @Test("The whole loop: Reconciler with real health probes of real gameservers scales up, parks and stops")
    func reconcileLoop() async throws {
        try await MotoWorld.with(instances: 4) { world in
            let proxy = try await FaultProxy.start(upstream: world.url, schedule: { _, _ in .none })
            proxy.setPageSize(1)
            try await cleaningUp({
            let spec = world.spec(endpoint: proxy.url, capacity: 4, upscaleMargin: 3, downscaleMargin: 8, minServers: 2)
            try await world.withProvider(spec) { provider in
            let agent = GameserverAgent(hostIPs: world.hostIPs, port: world.hostPort, capacity: 4)
            let players = Players()
            let client = HTTPHealthProber.makeClient()
            let prober = LoopbackProber(HTTPHealthProber(client: client))
            let fleet = FleetState(spec: spec, config: ConfigStatus(path: "fleet.yaml", hash: "test", loadedAt: Date()), metrics: FleetMetrics())
            let reconciler = Reconciler(provider: provider, prober: prober, fleet: fleet, logger: provider.logger)
            try await cleaningUp({

            /// One pass as production runs it, after the "ECS agent" has caught up.
            func pass() async throws -> Reconciler.Report {
                try await agent.sync(ecs: world.ecs, cluster: MotoWorld.cluster, startedBy: "gamefleet-it")
                let report = await reconciler.pass()
                #expect(report.error == nil)
                #expect(report.outcomes.allSatisfy { $0.succeeded }, "\(report.outcomes.compactMap(\.error))")
                return report
            }
            func servers() async -> [ObservedServer] { await fleet.observed?.servers ?? [] }

            var report = try await pass()
            #expect(report.plan?.count(.launch) == 2)
            report = try await pass()
            #expect(report.plan?.isEmpty == true, "two servers up with 8 free slots: nothing to do")
            #expect(report.probeFailures == 0)
            #expect(agent.running == 2)
            #expect(await servers().allSatisfy { $0.health.availableCapacity == 4 })

            // Six players arrive: 2 free slots < upscale margin 3, one more server.
            let up = await servers()
            try players.join(4, host: up[0].address!.host, port: up[0].address!.port)
            try players.join(2, host: up[1].address!.host, port: up[1].address!.port)
            report = try await pass()
            #expect(report.plan?.count(.launch) == 1, "\(report.plan.map { PlanTextRenderer.render($0, fleet: "it") } ?? "")")
            report = try await pass()
            #expect(report.plan?.isEmpty == true)
            #expect(agent.running == 3)
            #expect(await servers().count == 3)

            // Everyone leaves: 12 free slots > downscale margin 8, the emptiest server is parked,
            // then stopped once it says it is ready to close.
            players.leave()
            report = try await pass()
            #expect(report.plan?.count(.standby) == 1)
            let parked = try #require(report.plan?.actions.first { $0.kind == .standby }?.server)
            #expect(try await world.liveTasks().first { $0.taskArn == parked }?.tag(FleetLabels.standbyTag) == "true")
            report = try await pass()
            #expect(report.plan?.actions.map(\.kind) == [.stop])
            #expect(report.plan?.actions.first?.server == parked)
            report = try await pass()
            #expect(report.plan?.isEmpty == true)
            #expect(agent.running == 2)
            #expect(try await world.liveTasks().count == 2)
            #expect(await servers().allSatisfy { !$0.standby && $0.health.hasAnswered })
            #expect(prober.refusedHosts.isEmpty)
            }, then: {
                players.leave()
                await agent.stopAll()
                try? await client.shutdown()
            })
            }
            }, then: { await proxy.stop() })
        }
    }
}
