import AWSClient
import FleetCore
import FleetECS
import Foundation
import Testing

@Suite("Applying plans")
struct ApplyTests {
    static func launches(_ count: Int, _ taskDefinition: String = "gameserver") -> [Action] {
        (0..<count).map { _ in Action.launch(taskDefinition, code: .belowUpscaleMargin, reason: "free slots 0 < upscale margin 5") }
    }

    @Test("23 launches: RunTask batches of 10, 10 and 3, each with its own token, startedBy and fleet tags")
    func batching() async throws {
        let world = Fixtures.World()
        world.ecs.register(Fixtures.bridgeDefinition())
        let provider = world.provider()
        let spec = Fixtures.spec(launchType: .fargate, subnets: ["subnet-1"])
        _ = try await provider.servers(spec: spec)

        let outcomes = await provider.apply(Self.launches(23), spec: spec)
        #expect(outcomes.count == 23)
        #expect(outcomes.allSatisfy { $0.succeeded })
        #expect(Set(outcomes.compactMap(\.launched)).count == 23)

        let requests = world.ecs.runRequests
        // Batches run side by side, so ECS may see them in any order.
        #expect(requests.compactMap(\.count).sorted() == [3, 10, 10])
        #expect(Set(requests.compactMap(\.clientToken)).count == 3)
        for request in requests {
            #expect(request.startedBy == "gamefleet-unit")
            #expect(request.taskDefinition == "gameserver:1", "the resolved revision, so what starts is what counts as current")
            #expect(request.launchType == "FARGATE")
            #expect(request.networkConfiguration?.awsvpcConfiguration == .init(subnets: ["subnet-1"], securityGroups: nil, assignPublicIp: "DISABLED"))
            #expect(request.tags == [ECSTag(key: "gamefleet:fleet", value: "unit"), ECSTag(key: "managed-by", value: "gamefleet")])
        }
        #expect(provider.calls.counts["RunTask"] == 3)
        #expect(try await provider.servers(spec: spec).count == 23)
    }

    @Test("A capacity provider strategy from the spec: RunTask carries it, in order with weights and bases, and no launchType")
    func capacityProviderStrategy() async throws {
        let world = Fixtures.World()
        world.ecs.register(Fixtures.bridgeDefinition())
        let provider = world.provider()
        var spec = Fixtures.spec(launchType: .fargate, subnets: ["subnet-1"])
        spec.ecs?.capacityProviderStrategy = [
            CapacityProviderShare(capacityProvider: "FARGATE", weight: 1, base: 2),
            CapacityProviderShare(capacityProvider: "FARGATE_SPOT", weight: 3),
        ]
        _ = try await provider.servers(spec: spec)

        let outcomes = await provider.apply(Self.launches(12), spec: spec)
        #expect(outcomes.allSatisfy { $0.succeeded })
        let requests = world.ecs.runRequests
        #expect(requests.count == 2)
        for request in requests {
            #expect(request.launchType == nil, "ECS refuses a launch type beside a strategy")
            #expect(request.capacityProviderStrategy == [
                .init(capacityProvider: "FARGATE", weight: 1, base: 2),
                .init(capacityProvider: "FARGATE_SPOT", weight: 3, base: 0),
            ])
            #expect(request.networkConfiguration?.awsvpcConfiguration.assignPublicIp == "DISABLED", "Fargate capacity keeps Fargate networking")
        }

        // Without one, the launch type as before and no strategy.
        spec.ecs?.capacityProviderStrategy = []
        _ = await provider.apply(Self.launches(1), spec: spec)
        let plain = try #require(world.ecs.runRequests.last)
        #expect(plain.launchType == "FARGATE")
        #expect(plain.capacityProviderStrategy == nil)
    }

    @Test("Launched tasks are expected until listed; a task that stops before it is ever listed is no longer counted")
    func expectedUntilListed() async throws {
        let world = Fixtures.World()
        world.ecs.register(Fixtures.bridgeDefinition())
        world.ecs.update { $0.lagging = true }
        let provider = world.provider()
        let spec = Fixtures.spec()
        _ = try await provider.servers(spec: spec)

        let launched = await provider.apply(Self.launches(3), spec: spec).compactMap(\.launched)
        #expect(launched.count == 3)
        #expect(try await provider.servers(spec: spec).isEmpty, "ECS does not list them yet")
        #expect(await provider.expectedLaunches(spec: spec).compactMap(\.server) == launched)
        #expect(await provider.expectedLaunches(spec: spec).allSatisfy { $0.taskDefinition == "gameserver" }, "named as the spec names it")

        // One dies unlisted, one shows up in the listing.
        world.ecs.update { $0.tasks[launched[0]]?.lastStatus = "STOPPED"; $0.tasks[launched[0]]?.desiredStatus = "STOPPED"; $0.unlisted.remove(launched[1]) }
        #expect(try await provider.servers(spec: spec).map(\.id) == [launched[1]])
        #expect(await provider.expectedLaunches(spec: spec).compactMap(\.server) == [launched[2]])

        // Past startupGrace an expectation is dropped even if ECS never lists the task.
        world.date.advance(seconds: spec.gameserver.health.startupGrace.seconds + 1)
        _ = try await provider.servers(spec: spec)
        #expect(await provider.expectedLaunches(spec: spec).isEmpty)
    }

    @Test("A lost RunTask answer: the launch is retried under the same token and ECS's first tasks are taken, nothing starts twice")
    func lostAnswerRetriesToken() async throws {
        let world = Fixtures.World()
        world.ecs.register(Fixtures.bridgeDefinition())
        world.ecs.update { $0.lagging = true; $0.loseAnswers = 2 }
        let provider = world.provider()
        let spec = Fixtures.spec()
        _ = try await provider.servers(spec: spec)

        let first = await provider.apply(Self.launches(12), spec: spec)
        #expect(first.allSatisfy { $0.error?.contains("may have reached ECS") == true })
        #expect(world.ecs.live(startedBy: "gamefleet-unit").count == 12, "ECS started them; both batches' answers were lost")
        #expect(try await provider.servers(spec: spec).isEmpty)
        let expected = await provider.expectedLaunches(spec: spec)
        #expect(expected.count == 12 && expected.allSatisfy { $0.server == nil }, "unconfirmed: the planner does not count them and plans them again")

        let again = await provider.apply(Self.launches(12), spec: spec)
        #expect(again.allSatisfy { $0.succeeded }, "\(again.compactMap(\.error))")
        #expect(world.ecs.live(startedBy: "gamefleet-unit").count == 12, "nothing started twice")
        #expect(Set(again.compactMap(\.launched)) == Set(world.ecs.live(startedBy: "gamefleet-unit").map(\.taskArn)))
        let tokens = world.ecs.runRequests.compactMap(\.clientToken)
        #expect(tokens.count == 4)
        #expect(Set(tokens).count == 2, "the retry sent the first apply's two tokens again")
        #expect(await provider.expectedLaunches(spec: spec).allSatisfy { $0.server != nil })
    }

    @Test("Two runs of apply (two processes) on an empty fleet mint different tokens: the second launch is a launch")
    func separateProcessesSeparateTokens() async throws {
        let world = Fixtures.World()
        world.ecs.register(Fixtures.bridgeDefinition())
        let spec = Fixtures.spec()
        let once = world.provider()
        _ = try await once.servers(spec: spec)
        let first = await once.apply(Self.launches(1), spec: spec)
        // The task dies; a later `gamefleet apply` finds the fleet empty again.
        world.ecs.update { $0.tasks[first[0].launched!]?.lastStatus = "STOPPED"; $0.tasks[first[0].launched!]?.desiredStatus = "STOPPED" }
        let twice = world.provider()
        _ = try await twice.servers(spec: spec)
        let second = await twice.apply(Self.launches(1), spec: spec)
        #expect(second[0].succeeded)
        #expect(second[0].launched != first[0].launched)
        #expect(world.ecs.live(startedBy: "gamefleet-unit").count == 1)
        #expect(Set(world.ecs.runRequests.compactMap(\.clientToken)).count == 2)
    }

    @Test("A retried token that ECS answers with a task already stopped is a launch that did not happen: launched again under a new token")
    func retriedTokenAnsweredWithDeadTask() async throws {
        let world = Fixtures.World()
        world.ecs.register(Fixtures.bridgeDefinition())
        world.ecs.update { $0.lagging = true; $0.loseAnswers = 1 }
        let provider = world.provider()
        let spec = Fixtures.spec()
        _ = try await provider.servers(spec: spec)
        _ = await provider.apply(Self.launches(1), spec: spec)
        let dead = try #require(world.ecs.live(startedBy: "gamefleet-unit").first?.taskArn)
        world.ecs.update { $0.tasks[dead]?.lastStatus = "STOPPED"; $0.tasks[dead]?.desiredStatus = "STOPPED" }
        _ = try await provider.servers(spec: spec)

        let retried = await provider.apply(Self.launches(1), spec: spec)
        #expect(retried[0].succeeded, "\(retried.compactMap(\.error))")
        #expect(retried[0].launched != dead)
        #expect(world.ecs.live(startedBy: "gamefleet-unit").map(\.taskArn) == [retried[0].launched])
        let tokens = world.ecs.runRequests.compactMap(\.clientToken)
        #expect(tokens.count == 3 && tokens[0] == tokens[1] && tokens[2] != tokens[0], "lost, retried, then a new intent: \(tokens)")
        #expect(await provider.expectedLaunches(spec: spec).compactMap(\.server) == [retried[0].launched])
    }

    @Test("A fleet that comes back to the same tasks gets fresh tokens, not the old launch's answer")
    func sameFleetAgain() async throws {
        let world = Fixtures.World()
        world.ecs.register(Fixtures.bridgeDefinition())
        let provider = world.provider()
        let spec = Fixtures.spec()
        _ = try await provider.servers(spec: spec)
        let first = await provider.apply(Self.launches(1), spec: spec)
        _ = try await provider.servers(spec: spec)
        // The launched task dies; the fleet looks as before the launch.
        world.ecs.update { $0.tasks[first[0].launched!]?.lastStatus = "STOPPED"; $0.tasks[first[0].launched!]?.desiredStatus = "STOPPED" }
        _ = try await provider.servers(spec: spec)
        let second = await provider.apply(Self.launches(1), spec: spec)
        #expect(second[0].succeeded)
        #expect(second[0].launched != first[0].launched)
        #expect(world.ecs.live(startedBy: "gamefleet-unit").count == 1)
    }

    @Test("RunTask failures[] are reported on the actions that did not start")
    func runTaskFailures() async throws {
        let world = Fixtures.World()
        world.ecs.register(Fixtures.bridgeDefinition())
        world.ecs.update { $0.room = 3 }
        let provider = world.provider()
        let spec = Fixtures.spec()
        let outcomes = await provider.apply(Self.launches(5), spec: spec)
        #expect(outcomes.filter(\.succeeded).count == 3)
        let failed = outcomes.filter { !$0.succeeded }
        #expect(failed.count == 2)
        for outcome in failed {
            #expect(outcome.error?.contains("RunTask started 3 of 5") == true)
            #expect(outcome.error?.contains("RESOURCE:MEMORY") == true)
        }
    }

    @Test("Standby and activate tag the task; a new provider reads standby back from ECS")
    func standbyByTags() async throws {
        let world = Fixtures.World()
        let definition = world.ecs.register(Fixtures.bridgeDefinition())
        Fixtures.host(world)
        world.ecs.add(Fixtures.task(1, definition: definition))
        world.ecs.add(Fixtures.task(2, definition: definition))
        let spec = Fixtures.spec()
        let provider = world.provider()
        let servers = try await provider.servers(spec: spec)

        let outcomes = await provider.apply([.on(.standby, servers[0], code: .aboveDownscaleMargin, reason: "free slots 40 > downscale margin 30")], spec: spec)
        #expect(outcomes.allSatisfy { $0.succeeded })
        #expect(world.ecs.task(servers[0].id)?.tag(FleetLabels.standbyTag) == "true")
        #expect(try await provider.servers(spec: spec).map(\.standby) == [true, false])

        let restarted = world.provider()
        #expect(try await restarted.servers(spec: spec).map(\.standby) == [true, false])

        _ = await restarted.apply([.on(.activate, servers[0], code: .belowUpscaleMargin, reason: "free slots 2 < upscale margin 5")], spec: spec)
        #expect(world.ecs.task(servers[0].id)?.tag(FleetLabels.standbyTag) == nil)
        #expect(try await restarted.servers(spec: spec).map(\.standby) == [false, false])
    }

    @Test("Every AWS error is reported on its own action, naming the operation; the others go through")
    func errorsPerAction() async throws {
        let world = Fixtures.World()
        let definition = world.ecs.register(Fixtures.bridgeDefinition())
        Fixtures.host(world)
        for number in 1...3 { world.ecs.add(Fixtures.task(number, definition: definition)) }
        let spec = Fixtures.spec()
        let provider = world.provider()
        let servers = try await provider.servers(spec: spec)
        world.ecs.update { $0.failuresFor[servers[0].id] = InMemoryECS.serviceError("StopTask", "AccessDeniedException") }
        world.ecs.update { $0.failuresFor[servers[1].id] = InMemoryECS.serviceError("TagResource", "ThrottlingException") }
        world.ecs.failNext("RunTask", with: AWSCallError(service: "ecs", operation: "RunTask", reason: .transport(.connectionFailed("reset by peer")), attempts: 3))

        let actions: [Action] = [
            .on(.stop, servers[0], code: .readyToClose, reason: "unhealthy"),
            .on(.standby, servers[1], code: .aboveDownscaleMargin, reason: "too many free slots"),
            .on(.stop, servers[2], code: .readyToClose, reason: "in standby and ready to close"),
        ] + Self.launches(2)
        let outcomes = await provider.apply(actions, spec: spec)
        #expect(outcomes.map(\.action) == actions, "outcomes come back in the actions' order")
        #expect(outcomes[0].error?.contains("StopTask") == true)
        #expect(outcomes[0].error?.contains("AccessDeniedException") == true)
        #expect(outcomes[1].error?.contains("TagResource") == true)
        #expect(outcomes[1].error?.contains("ThrottlingException") == true)
        #expect(outcomes[2].succeeded)
        #expect(world.ecs.update { $0.stopReasons[servers[2].id] } == "gamefleet: in standby and ready to close")
        #expect(outcomes[3].error?.hasPrefix("ecs RunTask failed after 3 attempts: connection failed: reset by peer; it may have reached ECS") == true)
        #expect(outcomes[4].error == outcomes[3].error)
    }
}
