import AWSClient
import FleetCore
import FleetECS
import Foundation
import Testing

/// `ecs.launchTemplate`: one EC2 instance per gameserver.
@Suite("One host per gameserver")
struct HostsModeTests {
    static func registerHost(_ world: Fixtures.World, instance: String, number: Int) -> String {
        let arn = "arn:aws:ecs:us-east-1:123456789012:container-instance/test/host-\(number)"
        world.ecs.update { $0.containerInstances[arn] = ECSContainerInstance(containerInstanceArn: arn, ec2InstanceId: instance, status: "ACTIVE") }
        return arn
    }

    @Test("A RunInstances that failed is retried under its token by the next launch; a new launch gets a new token")
    func failedHostLaunchRetriesToken() async throws {
        let world = Fixtures.World()
        world.ecs.register(Fixtures.bridgeDefinition())
        let spec = Fixtures.spec(launchTemplate: "gameserver-host:3")
        let provider = world.provider()
        world.ec2.failNext("RunInstances", with: AWSCallError(service: "ec2", operation: "RunInstances", reason: .transport(.connectionFailed("reset by peer")), attempts: 3))

        let failed = await provider.apply(ApplyTests.launches(2), spec: spec)
        #expect(failed.allSatisfy { $0.error?.contains("may have reached EC2") == true })
        let lost = await provider.expectedLaunches(spec: spec)
        #expect(lost.count == 2 && lost.allSatisfy { $0.server == nil })
        let retried = await provider.apply(ApplyTests.launches(2), spec: spec)
        #expect(retried.allSatisfy { $0.succeeded })
        #expect(await provider.expectedLaunches(spec: spec).isEmpty, "the booting hosts are servers of their own now")
        _ = await provider.apply(ApplyTests.launches(1), spec: spec)
        let tokens = world.ec2.runRequests.compactMap(\.clientToken)
        // The failed call never reached the fake, so it recorded the retry and the new launch.
        #expect(tokens.count == 2 && tokens[0] == lost.first?.token && tokens[1] != tokens[0], "\(tokens)")
    }

    @Test("Launch starts tagged instances; a registered one gets its task by placement constraint; stop ends task and host")
    func launchPlaceStop() async throws {
        let world = Fixtures.World()
        world.ecs.register(Fixtures.bridgeDefinition())
        let spec = Fixtures.spec(launchTemplate: "gameserver-host:3")
        let provider = world.provider()

        let launched = await provider.apply(ApplyTests.launches(2), spec: spec)
        #expect(launched.allSatisfy { $0.succeeded })
        let instances = launched.compactMap(\.launched)
        #expect(instances.count == 2 && instances.allSatisfy { $0.hasPrefix("i-") })
        let request = try #require(world.ec2.runRequests.first)
        #expect(world.ec2.runRequests.count == 1)
        #expect(request.launchTemplate == .named("gameserver-host", version: "3"))
        #expect(request.minCount == 2 && request.maxCount == 2, "all or nothing")
        #expect(request.clientToken != nil)
        #expect(request.tagSpecifications == [.init(resourceType: "instance", tags: [EC2Tag(key: "gamefleet:fleet", value: "unit"), EC2Tag(key: "managed-by", value: "gamefleet")])])
        #expect(world.ecs.runRequests.isEmpty)

        // Booting: both count as pending servers, so the planner launches nothing more.
        var servers = try await provider.servers(spec: spec)
        #expect(Set(servers.map(\.id)) == Set(instances))
        #expect(servers.allSatisfy { $0.lifecycle == .pending && $0.address == nil && $0.taskDefinition == spec.taskDefinition })
        #expect(Planner.plan(spec: spec, observed: ObservedState(servers: servers), now: world.date.now).count(.launch) == 0)

        // The first registers: observing reports it as waiting for its gameserver and changes
        // nothing; the plan places the gameserver on it and on nothing else.
        let container = Self.registerHost(world, instance: instances[0], number: 1)
        world.ecs.update { $0.placeOn = container }
        servers = try await provider.servers(spec: spec)
        #expect(world.ecs.runRequests.isEmpty, "observing placed a task")
        #expect(servers.first { $0.id == instances[0] }?.host == .awaitingGameserver)
        #expect(servers.first { $0.id == instances[1] }?.host == .unregistered, "still booting: not registered")
        let plan = Planner.plan(spec: spec, observed: ObservedState(servers: servers), now: world.date.now)
        #expect(plan.actions.map(\.kind) == [.launch] && plan.actions.first?.server == instances[0], "\(plan.actions)")
        let placed = await provider.apply(plan.actions, spec: spec)
        #expect(placed.allSatisfy { $0.succeeded }, "\(placed.compactMap(\.error))")
        let placement = try #require(world.ecs.runRequests.last)
        #expect(placement.placementConstraints == [.init(type: "memberOf", expression: "ec2InstanceId == \(instances[0])")])
        #expect(placement.count == 1 && placement.startedBy == "gamefleet-unit" && placement.launchType == "EC2")
        servers = try await provider.servers(spec: spec)
        #expect(servers.count == 2)
        let task = try #require(servers.first { !$0.id.hasPrefix("i-") })
        #expect(placed.first?.launched == task.id)
        #expect(servers.contains { $0.id == instances[1] && $0.lifecycle == .pending })

        // The next pass places nothing new.
        _ = try await provider.servers(spec: spec)
        #expect(world.ecs.runRequests.count == 1)

        let stopped = await provider.apply([.on(.stop, task, code: .readyToClose, reason: "unhealthy")], spec: spec)
        #expect(stopped.allSatisfy { $0.succeeded }, "\(stopped.compactMap(\.error))")
        #expect(world.ecs.task(task.id)?.desiredStatus == "STOPPED")
        #expect(world.ec2.terminated == [instances[0]])

        // A host that never came up is stopped by terminating it.
        let pending = try #require(servers.first { $0.id == instances[1] })
        let ended = await provider.apply([.on(.stop, pending, code: .readyToClose, reason: "unhealthy: never answered")], spec: spec)
        #expect(ended.allSatisfy { $0.succeeded })
        #expect(world.ec2.terminated == instances)
    }

    @Test("After a restart, a fleet host that registered is recognised by its tag and gets its gameserver")
    func recovery() async throws {
        let world = Fixtures.World()
        world.ecs.register(Fixtures.bridgeDefinition())
        let spec = Fixtures.spec(launchTemplate: "lt-0123456789abcdef0")
        let launched = await world.provider().apply(ApplyTests.launches(1), spec: spec)
        let instance = try #require(launched.first?.launched)
        #expect(world.ec2.runRequests.first?.launchTemplate == .id("lt-0123456789abcdef0"))
        // Someone else's instance in the same cluster is left alone.
        world.ec2.add(EC2Instance(instanceID: "i-someoneelse", state: "running", tags: [EC2Tag(key: "gamefleet:fleet", value: "other")]))
        _ = Self.registerHost(world, instance: "i-someoneelse", number: 9)

        let restarted = world.provider()
        let container = Self.registerHost(world, instance: instance, number: 1)
        world.ecs.update { $0.placeOn = container }
        let servers = try await restarted.servers(spec: spec)
        #expect(servers.map(\.id) == [instance])
        #expect(servers.first?.host == .awaitingGameserver)
        #expect(world.ecs.runRequests.isEmpty, "observing placed a task")
        let plan = Planner.plan(spec: spec, observed: ObservedState(servers: servers), now: world.date.now)
        // `gamefleet apply` applies with another provider than the one that observed.
        let outcomes = await world.provider().apply(plan.actions, spec: spec)
        #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
        #expect(world.ecs.runRequests.map(\.placementConstraints) == [[.init(type: "memberOf", expression: "ec2InstanceId == \(instance)")]])
        #expect(world.ec2.terminated.isEmpty)

        // A plan naming someone else's instance places nothing on it.
        let foreign = await world.provider().apply([Action(kind: .launch, server: "i-someoneelse", taskDefinition: spec.taskDefinition, code: .belowUpscaleMargin, reason: "test")], spec: spec)
        #expect(foreign.first?.error?.contains("not a host of fleet unit") == true, "\(foreign)")
        #expect(world.ecs.runRequests.count == 1)
    }

    @Test("A host whose gameserver ended is reported by observing and terminated by the plan, not by the observation")
    func endedGameserverHost() async throws {
        let world = Fixtures.World()
        world.ecs.register(Fixtures.bridgeDefinition())
        let spec = Fixtures.spec(launchTemplate: "gameserver-host")
        let provider = world.provider()
        let instance = try #require(await provider.apply(ApplyTests.launches(1), spec: spec).first?.launched)
        let container = Self.registerHost(world, instance: instance, number: 1)
        world.ecs.update { $0.placeOn = container }
        let placing = Planner.plan(spec: spec, observed: ObservedState(servers: try await provider.servers(spec: spec)), now: world.date.now)
        let task = try #require(await provider.apply(placing.actions, spec: spec).first?.launched)
        #expect(try await provider.servers(spec: spec).map(\.id) == [task])

        // The gameserver ends on its own (a crash, a Spot reclaim of the task): its host is left.
        world.ecs.update { $0.tasks[task]?.lastStatus = "STOPPED"; $0.tasks[task]?.desiredStatus = "STOPPED" }
        let servers = try await provider.servers(spec: spec)
        #expect(world.ec2.terminated.isEmpty, "observing terminated a host")
        let ended = try #require(servers.first { $0.id == instance })
        #expect(ended.host == .gameserverEnded && ended.lifecycle == .stopping)
        let plan = Planner.plan(spec: spec, observed: ObservedState(servers: servers), now: world.date.now)
        #expect(plan.actions.contains { $0.kind == .stop && $0.server == instance }, "\(plan.actions)")
        #expect(await provider.apply(plan.actions.filter { $0.kind == .stop }, spec: spec).allSatisfy { $0.succeeded })
        #expect(world.ec2.terminated == [instance])
        #expect(try await provider.servers(spec: spec).isEmpty)
    }
}
