import FleetCore
import FleetRuntime
import Foundation
import Synchronization
import TestSupport
import Testing

/// The loop keeps its cadence whatever servers and providers do: failing actions back off, a probe
/// that never ends does not hold the pass.
@Suite("Reconcile loop: backoff and bounded passes")
struct LoopTests {
    /// Every launch fails and the launch cap cuts every pass short. Before backoff the loop
    /// requeued at once forever: thousands of passes without the clock moving at all.
    @Test func passesPerMinuteStayBoundedWhileEveryLaunchFails() async throws {
        let clock = VirtualClock(origin: t0, horizon: .seconds(60))
        let provider = FakeProvider()
        await provider.set(failKinds: [.launch])
        let interval = Duration.seconds(10)
        var spec = localSpec(min: 5, maxLaunches: 1)
        spec.gameserver.health.interval = interval
        let state = FleetState(spec: spec, config: ConfigStatus(path: "fleet.yaml", hash: "h0", loadedAt: t0), metrics: FleetMetrics(),
                               now: { clock.date })
        let reconciler = Reconciler(provider: provider, prober: FakeProber(), fleet: state, logger: quietLogger(), now: { clock.date })
        let service = ReconcileService(reconciler: reconciler, fleet: state, clock: clock, logger: quietLogger())
        let loop = Task { try await service.run() }
        defer { loop.cancel() }

        // Run until the loop parks at the one-minute horizon, or stop early at a pass count no sane
        // loop reaches in a minute.
        let runaway = 2_000
        let realDeadline = ContinuousClock.now + .seconds(120)
        while clock.now.offset < .seconds(60), await provider.applied.count < runaway, ContinuousClock.now < realDeadline {
            try await Task.sleep(for: .milliseconds(1))
        }
        let passes = await provider.applied.count  // each pass tries exactly one launch (the cap)
        let minute = clock.now.offset
        loop.cancel()
        _ = try? await loop.value
        print("backoff: \(passes) passes in \(DurationText.format(minute)) of loop time with every launch failing (interval \(DurationText.format(interval)))")

        #expect(minute >= .seconds(60), "the loop never let time pass: \(passes) passes at \(DurationText.format(minute))")
        // At most one pass per interval once the backoff reaches its cap, plus the short early waits.
        #expect(passes <= 60 / 10 + 8, "\(passes) passes in one minute")
        #expect(passes >= 6, "the loop must keep retrying: \(passes) passes in one minute")

        // Failures are still counted, and the backoff is visible in /v1/fleet's snapshot.
        let metrics = await state.metrics.render()
        #expect(metrics.contains(#"gamefleet_actions_total{kind="launch",reason="belowUpscaleMargin",result="failed"} \#(passes)"#), "\(metrics)")
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let snapshot = try JSONSerialization.jsonObject(with: encoder.encode(await state.snapshot())) as? [String: Any]
        let backoff = snapshot?["backoff"] as? [[String: Any]]
        #expect(backoff?.count == 1)
        #expect(backoff?.first?["kind"] as? String == "launch")
        #expect((backoff?.first?["consecutiveFailures"] as? Int ?? 0) >= passes - 1)
        #expect((backoff?.first?["lastError"] as? String)?.contains("injected failure") == true)
        #expect(backoff?.first?["nextAttemptAt"] is String)
    }

    /// A dry run applies nothing, so a pass the launch cap cut short can gain nothing from an
    /// immediate successor: it keeps the interval instead of spinning.
    @Test func aDryRunKeepsTheIntervalWhenTheCapIsHit() async throws {
        let clock = VirtualClock(origin: t0, horizon: .seconds(60))
        let provider = FakeProvider()
        var spec = localSpec(min: 5, maxLaunches: 1)
        spec.gameserver.health.interval = .seconds(10)
        let state = FleetState(spec: spec, config: ConfigStatus(path: "fleet.yaml", hash: "h0", loadedAt: t0), metrics: FleetMetrics(),
                               dryRun: true, now: { clock.date })
        let reconciler = Reconciler(provider: provider, prober: FakeProber(), fleet: state, logger: quietLogger(), dryRun: true,
                                    now: { clock.date })
        let loop = Task { try await ReconcileService(reconciler: reconciler, fleet: state, clock: clock, logger: quietLogger()).run() }
        let realDeadline = ContinuousClock.now + .seconds(120)
        while clock.now.offset < .seconds(60), await provider.observations < 2_000, ContinuousClock.now < realDeadline {
            try await Task.sleep(for: .milliseconds(1))
        }
        let passes = await provider.observations
        loop.cancel()
        _ = try? await loop.value
        #expect(clock.now.offset >= .seconds(60), "a dry run spun without letting time pass")
        #expect(passes <= 7, "\(passes) dry-run passes in one minute at a 10s interval")
        #expect(await provider.applied.isEmpty)
    }

    /// A prober that never returns (and ignores cancellation) cannot hold the pass: the round ends
    /// at its deadline, counts the probe as failed, and the pass publishes.
    @Test func aProbeThatNeverEndsDoesNotHoldThePass() async {
        let provider = FakeProvider()
        let prober = StuckProber(stuckPort: 7002, answer: .answered(availableCapacity: 5, readyToClose: false))
        let state = makeFleetState(localSpec(min: 2, maxLaunches: 2))
        let reconciler = Reconciler(provider: provider, prober: prober, fleet: state, logger: quietLogger(), now: { t0 })
        _ = await reconciler.pass()  // launches s1 (7001) and s2 (7002)
        let started = ContinuousClock.now
        // The stuck probe never answers: a pass that waited for it would never end. The limit only
        // bounds how long that takes to fail; a loaded machine may freeze the suite for a minute.
        let report = await raceForTest(limit: .seconds(300)) { await reconciler.pass() }
        let took = ContinuousClock.now - started
        #expect(report != nil, "the pass did not end within 300s: a stuck probe held it")
        #expect(report?.probeFailures == 1)
        let servers = await state.observed?.servers ?? []
        #expect(servers.first { $0.id == "s1" }?.health.availableCapacity == 5)
        #expect(servers.first { $0.id == "s2" }?.health.consecutiveFailures == 1)
        print("a pass with one stuck probe (timeout 200ms) ended after \(took)")
        prober.release()
    }
}

/// Answers at once except on one port, where it waits until released, cancelled or not.
final class StuckProber: HealthProber, Sendable {
    let stuckPort: Int
    let answer: ProbeResult
    let released = Mutex(false)

    init(stuckPort: Int, answer: ProbeResult) {
        self.stuckPort = stuckPort
        self.answer = answer
    }

    func release() { released.withLock { $0 = true } }

    func probe(host: String, port: Int, path: String, timeout: Duration) async -> ProbeResult {
        guard port == stuckPort else { return answer }
        while !released.withLock({ $0 }) {
            // Deliberately deaf to cancellation, like a read that the client library cannot interrupt
            // (the sleep runs in a task of its own, which the probe's cancellation does not reach, so
            // this waits rather than spins).
            await Task { try? await Task.sleep(for: .milliseconds(20)) }.value
        }
        return answer
    }
}

