import FleetCore
@testable import FleetRuntime
import Foundation
import Synchronization
import TestSupport
import Testing

/// A clock that moves only when the test advances it: a sleep waits (polling in real time) until
/// the clock reaches its deadline, so a loop's pause lasts exactly as long as the test lets it.
final class ManualClock: Clock, Sendable {
    typealias Instant = VirtualClock.Instant
    private let elapsed = Mutex(Duration.zero)
    var now: Instant { Instant(offset: elapsed.withLock { $0 }) }
    var minimumResolution: Duration { .nanoseconds(1) }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        while now < deadline { try await Task.sleep(for: .milliseconds(2)) }
    }

    func advance(by duration: Duration) { elapsed.withLock { $0 += duration } }
}

/// A provider for which every action takes `step` of the manual clock's time, advanced a tenth at a
/// time. With `keeper`, each tenth also waits (real time, bounded) until the keeper's renewals have
/// caught up with the clock, so a loaded machine cannot make a renewal look late; with `watcher`,
/// that replica then does one round against the store, and `watcherLed` records whether it ever
/// led while actions were still being applied.
actor SlowProvider: FleetProvider {
    let inner = FakeProvider()
    let clock: ManualClock
    let step: Duration
    let keeper: LeaseKeeper?
    let watcher: LeaseKeeper?
    var watcherLed = false
    init(clock: ManualClock, step: Duration, keeper: LeaseKeeper? = nil, watcher: LeaseKeeper? = nil) {
        self.clock = clock
        self.step = step
        self.keeper = keeper
        self.watcher = watcher
    }
    func servers(spec: FleetSpec) async throws -> [ObservedServer] { try await inner.servers(spec: spec) }
    func apply(_ actions: [Action], spec: FleetSpec) async -> [ActionOutcome] {
        for _ in 0..<(10 * actions.count) {
            clock.advance(by: step / 10)
            if let keeper {
                let end = ContinuousClock.now + .seconds(2)
                while ContinuousClock.now < end, await (keeper.status().leaseAge ?? .zero) > keeper.renewInterval + step / 10 {
                    try? await Task.sleep(for: .milliseconds(2))
                }
            }
            if let watcher {
                await watcher.round()
                if await watcher.mayApply() { watcherLed = true }
            }
        }
        return await inner.apply(actions, spec: spec)
    }
    func shutdown() async {}
}

@Suite("High availability: a new leader passes at once; a hand apply renews and is fenced")
struct HATakeoverTests {
    /// Polls `check` for up to `seconds` of real time.
    static func eventually(seconds: Int = 60, _ check: () async -> Bool) async -> Bool {
        let end = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < end {
            if await check() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return await check()
    }

    /// Before the wake, a follower that took the lease over 3 s into a 10 s interval applied
    /// nothing until the interval ended: up to one interval of leaderless fleet after a takeover.
    @Test("A follower that takes the lease over passes at once, not at the end of its interval; only one extra pass")
    func takeoverWakesTheLoop() async {
        let store = InMemoryLeaseStore()
        let clock = ManualClock()
        let provider = await HATests.deadFleet()
        let a = HATests.keeper("a", store, VirtualClock(origin: t0)), b = LeaseKeeper(
            elector: LeaseElector(replicaID: "b", address: "127.0.0.1:8011", leaseDuration: .seconds(3), safetyMargin: .milliseconds(600)),
            store: store, clock: clock, logger: quietLogger())
        await a.round()
        await b.round()
        #expect(await b.status().role == .follower)
        var spec = localSpec()
        spec.gameserver.health.interval = .seconds(10)
        let state = makeFleetState(spec)
        let reconciler = Reconciler(provider: provider, prober: FakeProber(), fleet: state, logger: quietLogger(), now: { t0 }, leadership: b)
        let loop = Task { try await ReconcileService(reconciler: reconciler, fleet: state, clock: clock, wake: b.becameLeader, logger: quietLogger()).run() }
        defer { loop.cancel() }
        #expect(await Self.eventually { await provider.observations == 1 }, "the first pass (as follower) never ran")
        #expect(await Self.eventually { await state.observed != nil }, "the first pass never published")
        #expect(await provider.applied.isEmpty)

        // a has died: b reads every second and takes over once a's version stood still for 3 s.
        var tookOver = false
        for _ in 0..<8 where !tookOver {
            clock.advance(by: .seconds(1))
            await b.round()
            tookOver = await b.mayApply()
        }
        #expect(tookOver)
        let at = clock.now.offset
        #expect(at < .seconds(10))
        #expect(await Self.eventually { await !provider.applied.isEmpty },
                "the new leader applied nothing before its interval ended (clock at \(at) of a 10 s interval)")
        #expect(clock.now.offset == at, "the clock did not move: the pass ran because of the wake")
        // One wake, one pass: the loop then sleeps out its interval again (no busy loop).
        try? await Task.sleep(for: .milliseconds(300))
        let passes = await provider.observations
        #expect(passes == 2, "\(passes) passes")
        loop.cancel()
        _ = try? await loop.value
    }

    @Test("Pulls while no one waits are kept as one")
    func pullsCoalesce() async {
        let trigger = PassTrigger()
        trigger.pull(); trigger.pull(); trigger.pull()
        await trigger.wait()  // the pending pull: returns at once
        let second = Task { await trigger.wait() }
        try? await Task.sleep(for: .milliseconds(100))
        #expect(await raceForTest(limit: .milliseconds(50)) { await second.value } == nil, "three pulls woke two waits")
        trigger.pull()
        #expect(await raceForTest(limit: .seconds(60)) { await second.value } != nil)
    }

    static func keeper(_ id: String, _ store: InMemoryLeaseStore, _ clock: ManualClock) -> LeaseKeeper {
        LeaseKeeper(elector: LeaseElector(replicaID: id, address: id == "apply" ? "-" : "127.0.0.1:8011", leaseDuration: .seconds(3), safetyMargin: .milliseconds(600)),
                    store: store, clock: clock, logger: quietLogger())
    }

    /// Four actions of 1 s each on a 3 s lease. Before the renewal, the hand apply wrote the lease
    /// once: a replica took it over 3 s in and led while the apply was still stopping servers.
    @Test("gamefleet apply with ha renews the lease while it applies: a replica never leads beside it, and gets the lease at the end")
    func handApplyRenews() async {
        let store = InMemoryLeaseStore()
        let clock = ManualClock()
        let hand = Self.keeper("apply", store, clock), replica = Self.keeper("r", store, clock)
        let provider = SlowProvider(clock: clock, step: .seconds(1), keeper: hand, watcher: replica)
        await provider.inner.seed([
            ObservedServer(id: "old-a", address: HostPort(host: "127.0.0.1", port: 7101), taskDefinition: "local:gs {port}", launchedAt: t0 - 3600),
            ObservedServer(id: "old-b", address: HostPort(host: "127.0.0.1", port: 7102), taskDefinition: "local:gs {port}", launchedAt: t0 - 3600),
            ObservedServer(id: "old-c", address: HostPort(host: "127.0.0.1", port: 7103), taskDefinition: "local:gs {port}", launchedAt: t0 - 3600),
        ])
        #expect(await HandApply.acquire(hand) == nil)
        #expect(await HandApply.acquire(replica)?.leader == "apply", "a second taker is refused, naming the holder")
        let actions = [.launch("local:gs {port}", code: .belowUpscaleMargin, reason: "r")] + ["old-a", "old-b", "old-c"].map {
            Action(kind: .stop, server: $0, code: .unhealthyFailedProbes, reason: "r")
        }
        let result = await HandApply.run(actions, spec: localSpec(), provider: provider, keeper: hand, clock: clock, logger: quietLogger())
        #expect(await !provider.watcherLed, "a replica led while the hand apply was still applying")
        #expect(result.notApplied == 0)
        #expect(await provider.inner.applied.count == 4)
        #expect(store.record == nil, "the lease is released at the end")
        await replica.round()
        #expect(await replica.mayApply(), "the replica acquires the released lease at its next read")
    }

    @Test("gamefleet apply with ha stops applying once the lease can no longer be renewed")
    func handApplyIsFenced() async {
        let store = InMemoryLeaseStore()
        let clock = ManualClock()
        let provider = SlowProvider(clock: clock, step: .seconds(1))
        await provider.inner.seed((1...6).map {
            ObservedServer(id: "old-\($0)", address: HostPort(host: "127.0.0.1", port: 7100 + $0), taskDefinition: "local:gs {port}", launchedAt: t0 - 3600)
        })
        let hand = Self.keeper("apply", store, clock)
        #expect(await HandApply.acquire(hand) == nil)
        store.setFailing(true)
        let actions = (1...6).map { Action(kind: .stop, server: "old-\($0)", code: .unhealthyFailedProbes, reason: "r") }
        let result = await HandApply.run(actions, spec: localSpec(), provider: provider, keeper: hand, clock: clock, logger: quietLogger())
        let took = clock.now.offset
        let applied = await provider.inner.applied.count
        print("hand apply cut off the store: \(applied) of 6 one-second steps applied in \(took) (fence at 2.4 s)")
        #expect(result.notApplied > 0, "all six steps ran though no renewal could succeed for 6 s")
        #expect(applied + result.notApplied == 6)
        #expect(applied == 3, "steps start at 0, 1 and 2 s; the fence (lease 3 s − margin 0.6 s) closes before the one at 3 s")
    }
}
