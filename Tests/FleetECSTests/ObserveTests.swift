import AWSClient
import FleetCore
import FleetECS
import Foundation
import Testing

@Suite("Observing the fleet")
struct ObserveTests {
    @Test("A steady pass over 250 tasks: 3 ListTasks pages and 3 DescribeTasks batches, nothing else")
    func steadyPassCost() async throws {
        let world = Fixtures.World()
        let definition = world.ecs.register(Fixtures.bridgeDefinition())
        Fixtures.host(world)
        for number in 1...250 { world.ecs.add(Fixtures.task(number, definition: definition)) }
        let provider = world.provider()
        let spec = Fixtures.spec()

        let first = try await provider.servers(spec: spec)
        #expect(first.count == 250)
        #expect(first.allSatisfy { $0.address == HostPort(host: "10.0.0.5", port: 7777) })
        // The first pass looks up the one definition (latest revision, and by ARN for the port),
        // the one container instance and the one EC2 instance, whatever the task count.
        #expect(provider.calls.counts.calls == [
            "ListTasks": 3, "DescribeTasks": 3, "DescribeTaskDefinition": 1, "DescribeContainerInstances": 1, "DescribeInstances": 1,
        ])

        provider.calls.reset()
        let second = try await provider.servers(spec: spec)
        #expect(second == first)
        #expect(provider.calls.counts.calls == ["ListTasks": 3, "DescribeTasks": 3])
    }

    @Test("Other fleets' tasks and tasks started by others in the same cluster are never reported")
    func onlyOwnTasks() async throws {
        let world = Fixtures.World()
        let definition = world.ecs.register(Fixtures.bridgeDefinition())
        Fixtures.host(world)
        world.ecs.add(Fixtures.task(1, fleet: "unit", definition: definition))
        world.ecs.add(Fixtures.task(2, fleet: "other", definition: definition))
        var manual = Fixtures.task(3, definition: definition)
        manual.startedBy = nil
        world.ecs.add(manual)
        let servers = try await world.provider().servers(spec: Fixtures.spec(name: "unit"))
        #expect(servers.map(\.id) == [Fixtures.task(1).taskArn])
    }

    @Test("Lifecycle, standby tag, stopped tasks left out, launch time from createdAt or first sight")
    func mapping() async throws {
        let world = Fixtures.World()
        let definition = world.ecs.register(Fixtures.bridgeDefinition())
        Fixtures.host(world)
        let created = Date(timeIntervalSince1970: 1_779_999_000)
        world.ecs.add(Fixtures.task(1, definition: definition, tags: [ECSTag(key: FleetLabels.standbyTag, value: "true")], createdAt: created))
        world.ecs.add(Fixtures.task(2, lastStatus: "PENDING", definition: definition))
        world.ecs.add(Fixtures.task(3, lastStatus: "STOPPED", definition: definition))
        let provider = world.provider()
        let spec = Fixtures.spec()

        let firstLook = world.date.now
        var servers = try await provider.servers(spec: spec)
        #expect(servers.map(\.lifecycle) == [.running, .pending])
        #expect(servers.map(\.standby) == [true, false])
        #expect(servers[0].launchedAt == created)
        #expect(servers[1].launchedAt == firstLook)

        world.date.advance(seconds: 30)
        servers = try await provider.servers(spec: spec)
        #expect(servers[1].launchedAt == firstLook, "first sight is remembered, not renewed each pass")
    }

    @Test("Only a failed listing fails the observation; a failed address lookup leaves that server without an address")
    func failures() async throws {
        let world = Fixtures.World()
        let definition = world.ecs.register(Fixtures.bridgeDefinition())
        Fixtures.host(world)
        world.ecs.add(Fixtures.task(1, definition: definition))
        let provider = world.provider()
        let spec = Fixtures.spec()

        world.ec2.failNext("DescribeInstances", with: AWSServiceError(service: "ec2", operation: "DescribeInstances", statusCode: 503, code: "Unavailable", message: "down"))
        var servers = try await provider.servers(spec: spec)
        #expect(servers.count == 1)
        #expect(servers[0].address == nil)

        servers = try await provider.servers(spec: spec)
        #expect(servers[0].address == HostPort(host: "10.0.0.5", port: 7777), "the lookup is tried again on the next pass")

        world.ecs.failNext("ListTasks", with: InMemoryECS.serviceError("ListTasks", "ThrottlingException"))
        let listing = await #expect(throws: AWSServiceError.self) { try await provider.servers(spec: spec) }
        #expect(listing?.operation == "ListTasks")

        world.ecs.failNext("DescribeTasks", with: InMemoryECS.serviceError("DescribeTasks", "ServerException", status: 500))
        let describing = await #expect(throws: AWSServiceError.self) { try await provider.servers(spec: spec) }
        #expect(describing?.operation == "DescribeTasks")
    }

    @Test("A family named without a revision: the latest ACTIVE revision is current, looked up again when a newer one runs")
    func familyOnly() async throws {
        let world = Fixtures.World()
        let first = world.ecs.register(Fixtures.bridgeDefinition())
        let second = world.ecs.register(Fixtures.bridgeDefinition())
        Fixtures.host(world)
        world.ecs.add(Fixtures.task(1, definition: first))
        world.ecs.add(Fixtures.task(2, definition: second))
        let provider = world.provider()
        let spec = Fixtures.spec(taskDefinition: "gameserver")

        var servers = try await provider.servers(spec: spec)
        #expect(servers.map(\.taskDefinition) == ["gameserver:1", "gameserver"])
        let plan = Planner.plan(spec: spec, observed: ObservedState(servers: servers), now: world.date.now)
        #expect(plan.summary.outdated == 1)

        // Someone registers revision 3 and a task of it appears: it is adopted at once.
        let third = world.ecs.register(Fixtures.bridgeDefinition())
        world.ecs.add(Fixtures.task(3, definition: third))
        provider.calls.reset()
        servers = try await provider.servers(spec: spec)
        #expect(servers.map(\.taskDefinition) == ["gameserver:1", "gameserver:2", "gameserver"])
        #expect(provider.calls.counts["DescribeTaskDefinition"] == 1, "one lookup of the family's latest revision, which also gives revision 3's port mappings")
    }
}
