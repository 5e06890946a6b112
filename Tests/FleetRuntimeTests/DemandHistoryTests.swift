import FleetCore
import Foundation
import Synchronization
import Testing
@testable import FleetRuntime

/// A ``DemandHistoryStore`` in memory, counting saves.
actor InMemoryDemandHistory: DemandHistoryStore {
    var saved: SeasonalProfile?
    var saves = 0
    nonisolated var location: String { "memory" }
    func load() async throws -> SeasonalProfile? { saved }
    func save(_ profile: SeasonalProfile) async throws {
        saved = profile
        saves += 1
    }
}

@Suite("Demand history across restarts")
struct DemandHistoryTests {
    /// Bursts a serve learned are foreseen by the next serve: the profile is saved (at most once a
    /// minute) and loaded by the first pass of a new reconciler. Passes a minute apart on a manual
    /// clock: 5 players a minute, 300 more at minutes 10 and 30.
    @Test func burstsLearnedBeforeARestartAreForeseenAfterIt() async throws {
        var spec = localSpec(max: 100, maxLaunches: 100)
        spec.scaling.policy = .demand
        let store = InMemoryDemandHistory()
        let clock = Mutex(t0)
        let now: @Sendable () -> Date = { clock.withLock { $0 } }
        let state = FleetState(spec: spec, config: ConfigStatus(path: "fleet.yaml", hash: "h0", loadedAt: t0), metrics: FleetMetrics(), now: now)
        let reconciler = Reconciler(provider: FakeProvider(), prober: FakeProber(), fleet: state, logger: quietLogger(), now: now, history: store)
        for minute in 0..<45 {
            clock.withLock { $0 = t0.addingTimeInterval(Double(minute) * 60) }
            _ = await reconciler.pass()
            for _ in 0..<(5 + (minute == 10 || minute == 30 ? 300 : 0)) { _ = await state.allocate() }
        }
        #expect(await store.saves == 45)
        let saved = try #require(await store.saved)
        #expect(saved.bursts.count == 2)

        // A new process at minute 48:30, its demand window empty: the first pass loads the profile
        // and keeps room for the burst expected at minute 50.
        let restartAt = t0.addingTimeInterval(48 * 60 + 30)
        let state2 = FleetState(spec: spec, config: ConfigStatus(path: "fleet.yaml", hash: "h0", loadedAt: restartAt), metrics: FleetMetrics(), now: { restartAt })
        let restarted = Reconciler(provider: FakeProvider(), prober: FakeProber(), fleet: state2, logger: quietLogger(), now: { restartAt }, history: store)
        let plan = try #require(await restarted.pass().plan)
        let seasonal = try #require(plan.summary.sizing?.forecast?.seasonal)
        #expect(seasonal.at == t0.addingTimeInterval(50 * 60) && (290...300).contains(seasonal.arrivals), "\(seasonal)")
        #expect(plan.actions.first?.reason.contains("seasonal: \(seasonal.arrivals) arrivals expected at :50 (every 20m)") == true, "\(plan.actions.first?.reason ?? "")")
    }

    /// A dry run reads the history but never writes it.
    @Test func aDryRunNeverSaves() async throws {
        var spec = localSpec()
        spec.scaling.policy = .demand
        let store = InMemoryDemandHistory()
        let state = FleetState(spec: spec, config: ConfigStatus(path: "fleet.yaml", hash: "h0", loadedAt: t0), metrics: FleetMetrics(), now: { t0 })
        let reconciler = Reconciler(provider: FakeProvider(), prober: FakeProber(), fleet: state, logger: quietLogger(), dryRun: true, now: { t0 }, history: store)
        _ = await state.allocate()
        _ = await reconciler.pass()
        #expect(await store.saves == 0)
    }

    /// The local provider's history file sits beside its state file and round-trips.
    @Test func theLocalHistoryFileRoundTrips() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = DemandHistoryFile.beside(stateFile: directory.appendingPathComponent("chess.state.json"))
        #expect(path.lastPathComponent == "chess.demand.json")
        let file = DemandHistoryFile(path: path)
        #expect(try await file.load() == nil)
        var profile = SeasonalProfile(at: t0)
        profile.count(requests: 600, from: t0, to: t0.addingTimeInterval(60))
        try await file.save(profile)
        #expect(try await file.load() == profile)
    }
}
