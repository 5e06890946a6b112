import FleetCore
import FleetRuntime
import Foundation
import Synchronization
import Testing

/// A provider that runs a hook while it applies a plan: allocations made there happen after the
/// pass closed its demand window and before it published.
actor HookedProvider: FleetProvider {
    let inner = FakeProvider()
    var onApply: (@Sendable () async -> Void)?

    func servers(spec: FleetSpec) async throws -> [ObservedServer] { try await inner.servers(spec: spec) }
    func apply(_ actions: [Action], spec: FleetSpec) async -> [ActionOutcome] {
        await onApply?()
        return await inner.apply(actions, spec: spec)
    }
    func shutdown() async {}
    func set(onApply: (@Sendable () async -> Void)?) { self.onApply = onApply }
}

/// A prober that runs a hook on each probe before answering from its table: allocations made there
/// happen inside the pass, before it closes its demand window.
final class HookedProber: HealthProber, Sendable {
    let table = FakeProber()
    let onProbe = Mutex<(@Sendable () async -> Void)?>(nil)

    func probe(host: String, port: Int, path: String, timeout: Duration) async -> ProbeResult {
        if let hook = onProbe.withLock({ $0 }) { await hook() }
        return await table.probe(host: host, port: port, path: path, timeout: timeout)
    }
}

@Suite("Demand window")
struct DemandWindowTests {
    /// Every allocation lands in exactly one pass's demand signal, whether it was answered between
    /// passes, during a probe round (before the window closes) or while a plan was applied (after).
    @Test func everyAllocationIsCountedInExactlyOneWindow() async throws {
        let clock = Mutex(t0)
        let now: @Sendable () -> Date = { clock.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { clock.withLock { $0 = $0.addingTimeInterval(seconds) } }
        let spec = localSpec()
        let state = FleetState(spec: spec, config: ConfigStatus(path: "fleet.yaml", hash: "h0", loadedAt: t0), metrics: FleetMetrics(), now: now)
        let provider = HookedProvider()
        let prober = HookedProber()
        let reconciler = Reconciler(provider: provider, prober: prober, fleet: state, logger: quietLogger(), now: now)

        // Pass 1 at t0: an empty fleet, so it launches s1; two players ask while the launch is applied
        // (no server, no backup: 503). They belong to the next window, not this one.
        await provider.set(onApply: { _ = await state.allocate(); _ = await state.allocate() })
        let first = await reconciler.pass()
        await provider.set(onApply: nil)
        let firstDemand = try #require(first.plan?.summary.demand)
        #expect(firstDemand == DemandSignal(windowSeconds: 0, tally: AllocationTally(), reservedUnconfirmed: 0))

        // Pass 2 at t0+10: s1 answers with 10 free slots.
        advance(10)
        prober.table.set(7001, .answered(availableCapacity: 10, readyToClose: true))
        let second = await reconciler.pass()
        #expect(second.plan?.summary.demand == DemandSignal(windowSeconds: 10, tally: AllocationTally(none: 2), reservedUnconfirmed: 0))

        // Between passes: 3 players go to s1. In pass 3 (t0+20) its probe fails, so nothing confirms
        // them; one more player asks during that probe round, before the window closes.
        advance(5)
        for _ in 0..<3 { #expect(await state.allocate() == .server(id: "s1", address: HostPort(host: "127.0.0.1", port: 7001))) }
        advance(5)
        prober.table.set(7001, .failed("timeout"))
        prober.onProbe.withLock { $0 = { _ = await state.allocate() } }
        let third = await reconciler.pass()
        prober.onProbe.withLock { $0 = nil }
        #expect(third.plan?.summary.demand == DemandSignal(windowSeconds: 10, tally: AllocationTally(server: 4), reservedUnconfirmed: 4))
        #expect(await state.observed?.demand == third.plan?.summary.demand)

        // Pass 4 at t0+30: s1 answers again; its probe is newer than the four reservations, which are
        // confirmed. Nothing was asked since pass 3: the window is empty, nothing counted twice.
        advance(10)
        prober.table.set(7001, .answered(availableCapacity: 6, readyToClose: false))
        let fourth = await reconciler.pass()
        #expect(fourth.plan?.summary.demand == DemandSignal(windowSeconds: 10, tally: AllocationTally(), reservedUnconfirmed: 0))

        // The pass history keeps the same windows: 7 answers in all, each once.
        let history = await state.passHistory()
        #expect(history.map(\.allocations) == [AllocationTally(), AllocationTally(none: 2), AllocationTally(server: 4), AllocationTally()])
    }

    /// A pass that cannot observe the fleet leaves the window open: its answers count in the next pass.
    @Test func aFailedPassLeavesTheWindowOpen() async throws {
        let clock = Mutex(t0)
        let now: @Sendable () -> Date = { clock.withLock { $0 } }
        let state = FleetState(spec: localSpec(), config: ConfigStatus(path: "fleet.yaml", hash: "h0", loadedAt: t0), metrics: FleetMetrics(), now: now)
        let provider = FakeProvider()
        let reconciler = Reconciler(provider: provider, prober: FakeProber(), fleet: state, logger: quietLogger(), now: now)
        _ = await reconciler.pass()
        _ = await state.allocate()
        clock.withLock { $0 = t0.addingTimeInterval(10) }
        await provider.set(failObserve: true)
        #expect(await reconciler.pass().plan == nil)
        _ = await state.allocate()
        clock.withLock { $0 = t0.addingTimeInterval(20) }
        await provider.set(failObserve: false)
        let report = await reconciler.pass()
        #expect(report.plan?.summary.demand == DemandSignal(windowSeconds: 20, tally: AllocationTally(none: 2), reservedUnconfirmed: 0))
    }

    /// The reconciler measures startup from launch to the first good probe of servers it launched.
    @Test func startupIsMeasuredFromLaunchToFirstGoodProbe() async throws {
        let clock = Mutex(t0)
        let now: @Sendable () -> Date = { clock.withLock { $0 } }
        let state = FleetState(spec: localSpec(), config: ConfigStatus(path: "fleet.yaml", hash: "h0", loadedAt: t0), metrics: FleetMetrics(), now: now)
        let prober = FakeProber()
        let reconciler = Reconciler(provider: FakeProvider(), prober: prober, fleet: state, logger: quietLogger(), now: now)
        #expect(await reconciler.pass().plan?.summary.startup == nil)      // launches s1 (launchedAt t0)
        clock.withLock { $0 = t0.addingTimeInterval(10) }
        #expect(await reconciler.pass().plan?.summary.startup == nil)      // s1 not answering yet
        clock.withLock { $0 = t0.addingTimeInterval(30) }
        prober.set(7001, .answered(availableCapacity: 10, readyToClose: true))
        #expect(await reconciler.pass().plan?.summary.startup == StartupStatistic(p90Seconds: 30, samples: 1))
        clock.withLock { $0 = t0.addingTimeInterval(40) }
        #expect(await reconciler.pass().plan?.summary.startup == StartupStatistic(p90Seconds: 30, samples: 1))  // once per server
    }
    /// Each pass folds its window into the smoothed rate (``DemandTrend``) carried in the observed
    /// state, and under `policy: demand` the plan sizes from it: players sent away in one window
    /// make the next pass launch for them.
    @Test func theTrendIsFoldedEachPassAndTheDemandPolicyActsOnIt() async throws {
        let clock = Mutex(t0)
        let now: @Sendable () -> Date = { clock.withLock { $0 } }
        var spec = localSpec(max: 20)
        spec.scaling.policy = .demand
        // The arrivals forecast, whose arithmetic the comment below spells out (the default, growth,
        // sizes from arrivals net of departures, which needs probes that saw players leave).
        spec.scaling.demand.forecast = .arrivals
        spec.scaling.demand.seasonal = false
        let state = FleetState(spec: spec, config: ConfigStatus(path: "fleet.yaml", hash: "h0", loadedAt: t0), metrics: FleetMetrics(), now: now)
        let prober = FakeProber()
        let reconciler = Reconciler(provider: FakeProvider(), prober: prober, fleet: state, logger: quietLogger(), now: now)
        let first = await reconciler.pass()                                     // launches s1; window of no length
        #expect(first.plan?.summary.trend == nil)
        clock.withLock { $0 = t0.addingTimeInterval(30) }
        prober.set(7001, .answered(availableCapacity: 10, readyToClose: true))
        // 30 players ask before s1 is published as up: all answered 503.
        for _ in 0..<30 { _ = await state.allocate() }
        let second = await reconciler.pass()
        let trend = try #require(second.plan?.summary.trend)
        #expect(trend == DemandTrend(smoothedPerMinute: 60, heldPerMinute: 60, players: 0))   // 30 in 30 s; s1 empty
        #expect(await state.observed?.trend == trend)
        let sizing = try #require(second.plan?.summary.sizing?.forecast)
        // 60/min × (30 s measured + 10 s) × 125% = 50, + 30 unmet = 80 free slots; 10 free: 7 launches.
        #expect(sizing.expectedArrivals == 50 && sizing.unmet == 30 && sizing.target == 80 && sizing.startupMeasured)
        #expect(second.plan?.count(.launch) == 7)
        #expect(second.plan?.actions.allSatisfy { $0.reasonCode == .demandForecast } == true)
    }
}
