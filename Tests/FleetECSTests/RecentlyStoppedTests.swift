import AWSClient
import FleetCore
import FleetECS
import Foundation
import Testing

/// "Why did my server go": the provider keeps ECS's stopCode and stoppedReason of the fleet's
/// tasks that stopped. Against the in-memory ECS, which can hold a task in a stopping state and
/// then stop it with any stopCode (moto stops tasks at once and sets no stopCode).
@Suite("Recently stopped tasks")
struct RecentlyStoppedTests {
    static func seed(_ world: Fixtures.World, count: Int) {
        world.ecs.register(Fixtures.bridgeDefinition())
        Fixtures.host(world)
        for n in 1...count { world.ecs.add(Fixtures.task(n)) }
    }

    static func arn(_ n: Int) -> String { Fixtures.task(n).taskArn }

    /// What ECS does as a task goes: desired STOPPED at once (ListTasks drops it), lastStatus
    /// STOPPED with the code and reason later.
    static func stopping(_ world: Fixtures.World, _ n: Int) {
        world.ecs.update { $0.tasks[arn(n)]?.desiredStatus = "STOPPED"; $0.tasks[arn(n)]?.lastStatus = "DEPROVISIONING" }
    }

    static func stopped(_ world: Fixtures.World, _ n: Int, code: String, reason: String, at: Date) {
        world.ecs.update { state in
            state.tasks[arn(n)]?.desiredStatus = "STOPPED"
            state.tasks[arn(n)]?.lastStatus = "STOPPED"
            state.tasks[arn(n)]?.stopCode = code
            state.tasks[arn(n)]?.stoppedReason = reason
            state.tasks[arn(n)]?.stoppedAt = at
        }
    }

    @Test("A Spot interruption and gamefleet's own stop are kept with ECS's code and reason, newest first; nothing else is")
    func keepsWhy() async throws {
        let world = Fixtures.World()
        Self.seed(world, count: 3)
        let provider = world.provider()
        let spec = Fixtures.spec()
        #expect(try await provider.servers(spec: spec).count == 3)
        #expect(await provider.recentlyStopped(spec: spec).isEmpty)

        // Task 1 is being taken back: it leaves the listing before ECS says why.
        Self.stopping(world, 1)
        #expect(try await provider.servers(spec: spec).count == 2)
        #expect(await provider.recentlyStopped(spec: spec).isEmpty, "not stopped yet")

        // It stops; gamefleet stops task 2 itself.
        let t = world.date.now
        Self.stopped(world, 1, code: "SpotInterruption", reason: "Your Spot Task was interrupted.", at: t)
        let stop = Action(kind: .stop, server: Self.arn(2), code: .aboveDownscaleMargin, reason: "free slots 40 > downscale margin 30")
        #expect(await provider.apply([stop], spec: spec).allSatisfy(\.succeeded))
        let reason = try #require(world.ecs.task(Self.arn(2))?.stoppedReason, "the fake keeps StopTask's reason")
        Self.stopped(world, 2, code: "UserInitiated", reason: reason, at: t.addingTimeInterval(5))
        #expect(try await provider.servers(spec: spec).map(\.id) == [Self.arn(3)])

        let gone = await provider.recentlyStopped(spec: spec)
        #expect(gone == [
            StoppedServer(id: Self.arn(2), taskID: "seed2", stopCode: "UserInitiated", stoppedReason: reason, stoppedAt: t.addingTimeInterval(5)),
            StoppedServer(id: Self.arn(1), taskID: "seed1", stopCode: "SpotInterruption", stoppedReason: "Your Spot Task was interrupted.", stoppedAt: t),
        ])

        // Recorded once: more passes change nothing, and a stopped task of another fleet never shows.
        world.ecs.add(Fixtures.task(9, fleet: "other", lastStatus: "STOPPED", desiredStatus: "STOPPED"))
        _ = try await provider.servers(spec: spec)
        _ = try await provider.servers(spec: spec)
        #expect(await provider.recentlyStopped(spec: spec) == gone)
    }

    @Test("A steady pass costs no more calls; a vanished task rides in the same DescribeTasks until it has stopped")
    func noExtraCalls() async throws {
        let world = Fixtures.World()
        Self.seed(world, count: 5)
        let provider = world.provider()
        let spec = Fixtures.spec()
        _ = try await provider.servers(spec: spec)
        let before = provider.calls.counts
        _ = try await provider.servers(spec: spec)
        let steady = provider.calls.counts
        #expect(steady["DescribeTasks"] - before["DescribeTasks"] == 1)
        #expect(steady["ListTasks"] - before["ListTasks"] == 1)

        Self.stopping(world, 4)
        _ = try await provider.servers(spec: spec)
        _ = try await provider.servers(spec: spec)
        let watching = provider.calls.counts
        #expect(watching["DescribeTasks"] - steady["DescribeTasks"] == 2, "one call a pass, as before")

        Self.stopped(world, 4, code: "EssentialContainerExited", reason: "Essential container in task exited", at: world.date.now)
        _ = try await provider.servers(spec: spec)
        #expect(await provider.recentlyStopped(spec: spec).map(\.stopCode) == ["EssentialContainerExited"])
    }

    @Test("A task ECS forgets before saying why is given up; no more than 20 are kept, the newest")
    func forgottenAndBounded() async throws {
        let world = Fixtures.World()
        Self.seed(world, count: 30)
        let provider = world.provider()
        let spec = Fixtures.spec()
        _ = try await provider.servers(spec: spec)

        // Task 30 leaves the listing and ECS forgets it before it is described STOPPED.
        Self.stopping(world, 30)
        _ = try await provider.servers(spec: spec)
        world.ecs.update { $0.tasks[Self.arn(30)] = nil; $0.order.removeAll { $0 == Self.arn(30) } }
        _ = try await provider.servers(spec: spec)
        let afterForget = provider.calls.counts["DescribeTasks"]
        _ = try await provider.servers(spec: spec)
        // 29 listed tasks: one batch; the forgotten ARN is no longer asked about (it would not add a
        // call here, so check the book through what it reports instead).
        #expect(provider.calls.counts["DescribeTasks"] - afterForget == 1)
        #expect(await provider.recentlyStopped(spec: spec).isEmpty)

        // 25 stop, a second apart.
        let t = world.date.now
        for n in 1...25 { Self.stopped(world, n, code: "TaskFailedToStart", reason: "task \(n)", at: t.addingTimeInterval(Double(n))) }
        _ = try await provider.servers(spec: spec)
        let kept = await provider.recentlyStopped(spec: spec)
        #expect(kept.count == 20)
        #expect(kept.map(\.stoppedReason) == (6...25).reversed().map { "task \($0)" })
    }
}
