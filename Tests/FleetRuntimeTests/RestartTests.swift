import FleetCore
import FleetRuntime
import Foundation
import Synchronization
import Testing

/// A gamefleet restarted beside servers that hold players: its health book is empty, so the first
/// probe that fails is all it knows of them. Nothing may be stopped for that.
@Suite("Restart beside running servers")
struct RestartTests {
    /// Two servers launched two hours before this reconciler started, with players (4 of 10 free).
    static func runningFleet() -> [ObservedServer] {
        (1...2).map { n in
            ObservedServer(id: "old\(n)", address: HostPort(host: "127.0.0.1", port: 7100 + n), taskDefinition: localSpec().taskDefinition,
                           launchedAt: t0.addingTimeInterval(-7200))
        }
    }

    /// A clock the test moves by hand.
    final class Clock: Sendable {
        let time = Mutex(t0)
        var now: Date { time.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { time.withLock { $0 += seconds } }
    }

    @Test("The first probe after a restart fails: nothing is stopped; the servers are judged by probes since first sight")
    func firstProbeFails() async {
        let spec = localSpec(upscale: 4, downscale: 18, min: 1, max: 10)
        let provider = FakeProvider()
        await provider.seed(Self.runningFleet())
        let prober = FakeProber()
        prober.set(7101, .failed("connection reset"))
        prober.set(7102, .failed("timeout"))
        let clock = Clock()
        let state = makeFleetState(spec)
        let reconciler = Reconciler(provider: provider, prober: prober, fleet: state, logger: quietLogger(), now: { clock.now })

        let first = await reconciler.pass()
        #expect(first.plan?.count(.stop) == 0, "\(first.plan?.actions.map(\.reason) ?? [])")
        #expect(first.plan?.summary.unknown == 2)
        #expect(await state.observed?.servers.filter { $0.id.hasPrefix("old") }.allSatisfy { $0.firstSeenAt == t0 } == true)

        // Next pass the probes answer: players are still there, nothing was stopped, and the first
        // sight is kept across passes.
        clock.advance(5)
        prober.set(7101, .answered(availableCapacity: 4, readyToClose: false))
        prober.set(7102, .answered(availableCapacity: 4, readyToClose: false))
        let second = await reconciler.pass()
        #expect(second.plan?.count(.stop) == 0)
        #expect(await provider.fleet.filter { $0.id.hasPrefix("old") }.count == 2)
        #expect(await provider.applied.allSatisfy { $0.kind != .stop })
        #expect(await state.observed?.servers.first { $0.id == "old1" }?.firstSeenAt == t0)
    }

    @Test("A server found running that keeps failing is stopped after failureThreshold probes, not before")
    func foundRunningAndBroken() async {
        let spec = localSpec()
        let threshold = spec.gameserver.health.failureThreshold
        let provider = FakeProvider()
        await provider.seed([Self.runningFleet()[0]])
        let clock = Clock()
        let reconciler = Reconciler(provider: provider, prober: FakeProber(), fleet: makeFleetState(spec), logger: quietLogger(), now: { clock.now })
        for pass in 1..<threshold {
            let report = await reconciler.pass()
            #expect(report.plan?.count(.stop) == 0, "pass \(pass): \(report.plan?.actions.map(\.reason) ?? [])")
            clock.advance(1)
        }
        let report = await reconciler.pass()
        #expect(report.plan?.actions.contains { $0.kind == .stop && $0.server == "old1" } == true)
    }
}

extension RestartTests {
    @Test("A one-off observation (observe, plan, apply) probes first and stamps first sight: a long-running server is judged by probes, not age")
    func oneOffObservation() async throws {
        let spec = localSpec()
        let provider = FakeProvider()
        await provider.seed(Self.runningFleet())
        let prober = FakeProber()
        prober.set(7101, .answered(availableCapacity: 6, readyToClose: false))
        prober.set(7102, .failed("timeout"))                                // one unlucky probe
        let reconciler = Reconciler(provider: provider, prober: prober, fleet: makeFleetState(spec), logger: quietLogger(), now: { t0 })
        let observed = try await reconciler.observe()
        #expect(observed.servers.allSatisfy { $0.firstSeenAt == t0 })
        #expect(observed.servers.first { $0.id == "old1" }?.health.hasAnswered == true)
        let plan = Planner.plan(spec: spec, observed: observed, now: observed.observedAt ?? t0)
        #expect(plan.count(.stop) == 0, "\(plan.actions.map(\.reason))")
    }
}
