import AWSClient
import FleetCore
import FleetECS
import Foundation
import Testing

/// No leaked instances (`ecs.launchTemplate`): gamefleet stops between RunInstances and the
/// host's registration, and the gamefleet that follows finds the host by its fleet tag. One
/// host registers late and gets its gameserver; one never registers and is terminated once it
/// is older than `startupGrace` (judged with a later `now`: moto's launch times are real).
@Suite("No leaked hosts (moto)", .serialized)
struct LeakedHostTests {
    @Test("Hosts launched by a gamefleet that went away before they registered are found by tag: one used, one terminated, none forgotten")
    func foundAfterRestart() async throws {
        try await MotoWorld.with(instances: 0) { world in
            try await world.createLaunchTemplate("fleet-host")
            let proxy = try await FaultProxy.start(upstream: world.url, schedule: { _, _ in .none })
            try await cleaningUp({
                let spec = world.spec(endpoint: proxy.url, minServers: 2, launchTemplate: "fleet-host")
                // The first gamefleet launches two hosts and is gone before either registers.
                let hosts = try await world.withProvider(spec) { provider in
                    await provider.apply(ApplyTests.launches(2), spec: spec).compactMap(\.launched)
                }
                try #require(hosts.count == 2)
                for instance in try await world.ec2.describeInstances(ids: hosts) {
                    #expect(instance.tag(FleetLabels.fleetTag) == "it", "tagged at RunInstances")
                }

                // The next one knows nothing of them but what EC2 says.
                try await world.withProvider(spec) { provider in
                    var servers = try await provider.servers(spec: spec)
                    #expect(Set(servers.map(\.id)) == Set(hosts), "both unregistered hosts found by their tag")
                    #expect(servers.allSatisfy { $0.host == .unregistered && $0.lifecycle == .pending })
                    var plan = Planner.plan(spec: spec, observed: ObservedState(servers: servers), now: Date())
                    #expect(plan.isEmpty, "two hosts booting make minServers 2: nothing to launch, nothing to stop; \(plan.actions.map(\.reason))")

                    // The first registers late: it is used.
                    _ = try await MotoWorld.register(hosts[0], ecs: world.ecs)
                    servers = try await provider.servers(spec: spec)
                    #expect(try await HostsMotoTests.placeWaitingHosts(servers, provider: provider, spec: spec) == [hosts[0]])
                    #expect(try await world.liveTasks().count == 1)

                    // The second never does: once older than startupGrace it is terminated, and
                    // a replacement launched.
                    servers = try await provider.servers(spec: spec)
                    let later = Date().addingTimeInterval(spec.gameserver.health.startupGrace.seconds + 60)
                    plan = Planner.plan(spec: spec, observed: ObservedState(servers: servers), now: later)
                    // (The placed gameserver, never probed here, is past its grace too: only the host's stop is applied.)
                    let stop = try #require(plan.actions.first { $0.kind == .stop && $0.server == hosts[1] }, "\(plan.actions.map(\.reason))")
                    #expect(stop.reasonCode == .hostNeverRegistered)
                    let outcomes = await provider.apply([stop], spec: spec)
                    #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
                    let state = try await world.ec2.describeInstances(ids: [hosts[1]]).first?.state
                    #expect(state == "shutting-down" || state == "terminated")
                    servers = try await provider.servers(spec: spec)
                    #expect(!servers.contains { $0.id == hosts[1] }, "a terminated host is no longer reported")
                }
            }, then: { await proxy.stop() })
        }
    }
}
