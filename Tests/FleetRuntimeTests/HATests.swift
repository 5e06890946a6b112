import FleetCore
@testable import FleetRuntime
import Foundation
import Logging
import Synchronization
import Testing

/// A gate that lets a given number of steps through, then says this replica lost the lease.
final class StepGate: LeadershipGate {
    let allowed: Mutex<Int>
    let asked = Mutex(0)
    init(allowing steps: Int) { allowed = Mutex(steps) }

    func status() async -> LeadershipStatus {
        allowed.withLock { $0 } > 0 ? LeadershipStatus(role: .leader, replicaID: "me", leader: "me", leaderAddress: "127.0.0.1:8001")
            : LeadershipStatus(role: .follower, replicaID: "me", leader: "other", leaderAddress: "127.0.0.2:8001")
    }

    func leadingTerm() -> Int? { allowed.withLock { $0 } > 0 ? 1 : nil }

    func mayApply() async -> Bool {
        asked.withLock { $0 += 1 }
        return allowed.withLock { left in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
    }
}

/// Collects log lines.
final class LogLines: LogHandler, @unchecked Sendable {
    let lines = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        lines.withLock { $0.append(event.message.description) }
    }
}

@Suite("High availability: the reconciler's gate and the lease keeper")
struct HATests {
    /// Two servers that never answered, launched an hour ago: the plan stops both and launches two.
    static func deadFleet() async -> FakeProvider {
        let provider = FakeProvider()
        await provider.seed([
            ObservedServer(id: "old-a", address: HostPort(host: "127.0.0.1", port: 7101), taskDefinition: "local:gs {port}", launchedAt: t0 - 3600),
            ObservedServer(id: "old-b", address: HostPort(host: "127.0.0.1", port: 7102), taskDefinition: "local:gs {port}", launchedAt: t0 - 3600),
        ])
        return provider
    }

    @Test("A follower plans and logs as a follower, and applies nothing")
    func followerAppliesNothing() async {
        let provider = await Self.deadFleet()
        let handler = LogLines()
        let reconciler = Reconciler(provider: provider, prober: FakeProber(), fleet: makeFleetState(localSpec()),
                                    logger: Logger(label: "t") { _ in handler }, now: { t0 }, leadership: StepGate(allowing: 0))
        let report = await reconciler.pass()
        #expect((report.plan?.actions.count ?? 0) >= 1)
        #expect(report.outcomes.isEmpty)
        #expect(await provider.applied.isEmpty)
        #expect(!report.requeueSoon)
        let lines = handler.lines.withLock { $0 }
        #expect(lines.contains { $0.hasPrefix("follower (leader other at 127.0.0.2:8001): would + launch") }, "\(lines)")
    }

    /// How many of the pass's steps the gate allows, and what is applied.
    struct FenceCase: Sendable, CustomTestStringConvertible {
        var allowed: Int
        var applied: [String]
        var testDescription: String { "gate open for \(allowed) step(s)" }
    }

    static let fenceCases: [FenceCase] = [
        FenceCase(allowed: 0, applied: []),
        FenceCase(allowed: 1, applied: ["launch", "launch"]),
        FenceCase(allowed: 2, applied: ["launch", "launch", "stop old-a"]),
        FenceCase(allowed: 3, applied: ["launch", "launch", "stop old-a", "stop old-b"]),
    ]

    /// Two launches and two stops, as a pass might plan them.
    static let actions: [Action] = [
        Action(kind: .stop, server: "old-a", code: .unhealthyFailedProbes, reason: "r"),
        .launch("local:gs {port}", code: .belowUpscaleMargin, reason: "r"),
        Action(kind: .stop, server: "old-b", code: .unhealthyFailedProbes, reason: "r"),
        .launch("local:gs {port}", code: .belowUpscaleMargin, reason: "r"),
    ]

    @Test("A pass that loses the lease mid-way applies nothing more: the gate is asked before each step", arguments: fenceCases)
    func fenceMidPass(_ c: FenceCase) async {
        let provider = await Self.deadFleet()
        let gate = StepGate(allowing: c.allowed)
        let reconciler = Reconciler(provider: provider, prober: FakeProber(), fleet: makeFleetState(localSpec()),
                                    logger: quietLogger(), now: { t0 }, leadership: gate)
        let outcomes = await reconciler.apply(Self.actions, spec: localSpec())
        let applied = await provider.applied.map { $0.server.map { "stop \($0)" } ?? $0.kind.rawValue }
        #expect(applied == c.applied)
        #expect(outcomes.count == c.applied.count, "actions not applied are not reported as failures")
    }

    @Test("Without a gate (no ha) every action is applied in one call, as before")
    func noGate() async {
        let provider = await Self.deadFleet()
        let reconciler = Reconciler(provider: provider, prober: FakeProber(), fleet: makeFleetState(localSpec()), logger: quietLogger(), now: { t0 })
        let outcomes = await reconciler.apply(Self.actions, spec: localSpec())
        #expect(outcomes.count == 4)
        #expect(await provider.applied.map(\.kind) == [.stop, .launch, .stop, .launch])
    }

    static func keeper(_ id: String, _ store: InMemoryLeaseStore, _ clock: VirtualClock, lease: Duration = .seconds(3), metrics: FleetMetrics? = nil) -> LeaseKeeper {
        LeaseKeeper(
            elector: LeaseElector(replicaID: id, address: "127.0.0.1:\(id == "a" ? 8001 : 8011)", leaseDuration: lease, safetyMargin: lease / 5),
            store: store, clock: clock, metrics: metrics, logger: quietLogger(), newVersion: { UUID().uuidString })
    }

    @Test("Two keepers on one store: one leads, the other follows and forwards to it; a silent leader is taken over after a full lease")
    func twoKeepers() async {
        let store = InMemoryLeaseStore()
        let clock = VirtualClock(origin: t0)
        let a = Self.keeper("a", store, clock), b = Self.keeper("b", store, clock)
        await a.round()
        await b.round()
        #expect(await a.status().role == .leader)
        #expect(await b.status().role == .follower)
        #expect(await b.status().leader == "a")
        #expect(b.forwardTarget.value == "127.0.0.1:8001")
        #expect(a.forwardTarget.value == nil)
        // a renews every second; b never takes over.
        for _ in 0..<10 {
            clock.advance(by: .seconds(1))
            await a.round()
            await b.round()
            #expect(await a.mayApply())
            #expect(await !b.mayApply())
        }
        // a stops renewing (it hangs): its fence closes at 2.4 s, b takes over only at 3 s or later.
        var tookOverAt: Duration?
        for step in 1...8 {
            clock.advance(by: .milliseconds(500))
            await b.round()
            let elapsed = Duration.milliseconds(500 * step)
            if await b.mayApply() {
                tookOverAt = elapsed
                #expect(await !a.mayApply(), "both could apply at \(elapsed)")
                break
            }
        }
        #expect(tookOverAt.map { $0 >= .seconds(3) } == true)
        // a wakes up: its renewal is refused and it follows b.
        await a.round()
        #expect(await a.status().role == .follower)
        #expect(await a.status().leader == "b")
        #expect(a.forwardTarget.value == "127.0.0.1:8011")
    }

    @Test("A leader cut off from the store stops applying at lease − margin, before anyone may take over; counted as errors")
    func cutOff() async {
        let store = InMemoryLeaseStore()
        let clock = VirtualClock(origin: t0)
        let metrics = FleetMetrics()
        let a = Self.keeper("a", store, clock, metrics: metrics)
        await a.round()
        #expect(await a.mayApply())
        store.setFailing(true)
        clock.advance(by: .seconds(1)); await a.round()
        #expect(await a.mayApply())
        clock.advance(by: .seconds(1)); await a.round()
        #expect(await a.mayApply())
        clock.advance(by: .milliseconds(400))
        #expect(await !a.mayApply(), "2.4 s after the last successful renewal started (lease 3 s, margin 0.6 s)")
        #expect(await a.status().role == .fenced)
        #expect(metrics.render().contains(#"gamefleet_lease_renewals_total{result="error"} 2"#))
        // The store comes back: the renewal succeeds (nobody took over) and a leads again.
        store.setFailing(false)
        await a.round()
        #expect(await a.mayApply())
    }

    @Test("A graceful release deletes the lease: a follower acquires at its next read, without waiting out the lease")
    func release() async {
        let store = InMemoryLeaseStore()
        let clock = VirtualClock(origin: t0)
        let a = Self.keeper("a", store, clock), b = Self.keeper("b", store, clock)
        await a.round()
        await b.round()
        await a.release()
        #expect(await !a.mayApply())
        #expect(store.record == nil)
        clock.advance(by: .milliseconds(10))
        await b.round()
        #expect(await b.mayApply())
    }

    @Test("Metrics: gamefleet_leader follows the role")
    func leaderGauge() async {
        let store = InMemoryLeaseStore()
        let clock = VirtualClock(origin: t0)
        let ma = FleetMetrics(), mb = FleetMetrics()
        let a = Self.keeper("a", store, clock, metrics: ma), b = Self.keeper("b", store, clock, metrics: mb)
        await a.round()
        await b.round()
        #expect(ma.render().contains("gamefleet_leader 1"))
        #expect(mb.render().contains("gamefleet_leader 0"))
        #expect(ma.render().contains(#"gamefleet_lease_renewals_total{result="success"} 1"#))
    }

    @Test("Release after a renewal whose answer was lost (the item holds a version this replica never learnt) still deletes its own lease")
    func releaseAfterLostAnswer() async {
        let store = InMemoryLeaseStore()
        let clock = VirtualClock(origin: t0)
        let a = Self.keeper("a", store, clock)
        await a.round()
        // The renewal went through at the store, but its answer never came back.
        let stored = store.record!
        try? await store.write(LeaseRecord(holder: stored.holder, address: stored.address, version: "unseen", leaseDurationMs: 3000), expecting: stored.version)
        await a.release()
        #expect(store.record == nil)
        // Someone else's lease is never deleted.
        let b = Self.keeper("b", store, clock)
        await b.round()
        await a.release()
        #expect(store.record?.holder == "b")
    }
}
