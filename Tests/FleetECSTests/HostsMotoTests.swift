import AWSClient
import FleetCore
import FleetECS
import Foundation
import Testing

/// `ecs.launchTemplate` against moto: the test registers each host in the cluster when the
/// provider has launched it, as the host's ECS agent would at boot. moto ignores placement
/// constraints, so a task lands on the only registered host with its port free, which is the one
/// the provider asked for. moto gives template-launched hosts addresses outside 127.0.0.0/8 (it
/// ignores a template's subnet); nothing in this test connects to any host, so none is contacted.
@Suite("One host per gameserver against moto", .serialized)
struct HostsMotoTests {
    /// Plans from `servers` and applies only the plan's placements (launches naming a host), as
    /// a pass would; returns the hosts placed on.
    static func placeWaitingHosts(_ servers: [ObservedServer], provider: ECSProvider, spec: FleetSpec) async throws -> [String] {
        let plan = Planner.plan(spec: spec, observed: ObservedState(servers: servers), now: Date())
        let placements = plan.actions.filter { $0.kind == .launch && $0.server != nil }
        let outcomes = await provider.apply(placements, spec: spec)
        #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
        return placements.compactMap(\.server)
    }

    @Test("RunInstances from the template; the task placed once the host registers; recovered after a restart; host terminated with its gameserver")
    func hostPerGameserver() async throws {
        try await MotoWorld.with(instances: 0) { world in
            try await world.createLaunchTemplate("fleet-host")
            let spec = world.spec(launchTemplate: "fleet-host")
            let hosts = try await world.withProvider(spec) { provider -> [String] in
                let launched = await provider.apply(ApplyTests.launches(2), spec: spec)
                #expect(launched.allSatisfy { $0.succeeded }, "\(launched.compactMap(\.error))")
                let hosts = launched.compactMap(\.launched)
                try #require(hosts.count == 2)
                let instances = try await world.ec2.describeInstances(ids: hosts)
                #expect(instances.allSatisfy { $0.tag("gamefleet:fleet") == "it" && $0.tag("managed-by") == "gamefleet" })
                #expect(try await world.ec2.describeInstances(ids: hosts).allSatisfy { $0.instanceType == "t3.micro" }, "the template's instance type")

                var servers = try await provider.servers(spec: spec)
                #expect(Set(servers.map(\.id)) == Set(hosts))
                #expect(servers.allSatisfy { $0.lifecycle == .pending })

                _ = try await MotoWorld.register(hosts[0], ecs: world.ecs)
                servers = try await provider.servers(spec: spec)
                #expect(try await world.liveTasks().isEmpty, "observing placed a task")
                #expect(try await Self.placeWaitingHosts(servers, provider: provider, spec: spec) == [hosts[0]])
                servers = try await provider.servers(spec: spec)
                #expect(servers.count == 2)
                #expect(servers.contains { $0.id == hosts[1] })
                let tasks = try await world.liveTasks()
                #expect(tasks.count == 1)
                return hosts
            }

            // A new provider: the first host is found from its task, the second, registering
            // now, from its tag, and gets its gameserver.
            try await world.withProvider(spec) { provider in
                _ = try await MotoWorld.register(hosts[1], ecs: world.ecs)
                var servers = try await provider.servers(spec: spec)
                #expect(try await Self.placeWaitingHosts(servers, provider: provider, spec: spec) == [hosts[1]])
                servers = try await provider.servers(spec: spec)
                #expect(servers.count == 2)
                #expect(servers.allSatisfy { !$0.id.hasPrefix("i-") }, "both hosts run their gameserver: \(servers.map(\.id))")
                #expect(try await world.liveTasks().count == 2)

                servers = try await provider.servers(spec: spec)
                let first = try #require(servers.first)
                let containers = try await world.ecs.describeTasks(cluster: MotoWorld.cluster, tasks: [first.id]).tasks.first?.containerInstanceArn
                let host = try #require(try await world.ecs.describeContainerInstances(cluster: MotoWorld.cluster, containerInstances: [containers ?? ""]).containerInstances.first?.ec2InstanceId)
                let stopped = await provider.apply([.on(.stop, first, code: .readyToClose, reason: "in standby and ready to close")], spec: spec)
                #expect(stopped.allSatisfy { $0.succeeded }, "\(stopped.compactMap(\.error))")
                let state = try await world.ec2.describeInstances(ids: [host]).first?.state
                #expect(state == "shutting-down" || state == "terminated")
                #expect(try await world.liveTasks().count == 1)
                #expect(try await provider.servers(spec: spec).count == 1)
            }
        }
    }
}
