import FleetCore
import FleetRuntime
import Foundation
import Testing

@Suite("Reconcile pass")
struct ReconcilerTests {
    @Test func anEmptyFleetLaunchesAndPublishes() async {
        let provider = FakeProvider()
        let state = makeFleetState(localSpec())
        let reconciler = Reconciler(provider: provider, prober: FakeProber(), fleet: state, logger: quietLogger(), now: { t0 })
        let report = await reconciler.pass()
        #expect(report.plan?.count(.launch) == 1)
        #expect(report.outcomes.allSatisfy { $0.succeeded })
        #expect(await provider.launches == 1)
        #expect(await state.ready)
        #expect(await state.lastPlan == report.plan)
    }

    @Test func probesFeedThePlanner() async {
        let provider = FakeProvider()
        let prober = FakeProber()
        let state = makeFleetState(localSpec())
        let reconciler = Reconciler(provider: provider, prober: prober, fleet: state, logger: quietLogger(), now: { t0 })
        _ = await reconciler.pass()                                          // launches s1 on 7001
        prober.set(7001, .answered(availableCapacity: 2, readyToClose: false))
        let report = await reconciler.pass()                                 // 2 free < 4: launch again
        #expect(report.plan?.summary.freeSlots == 2)
        #expect(report.plan?.count(.launch) == 1)
        let observed = await state.observed
        #expect(observed?.servers.first?.health.availableCapacity == 2)
    }

    @Test func consecutiveProbeFailuresMakeAServerUnhealthyAndReplaced() async {
        let provider = FakeProvider()
        let prober = FakeProber()
        let reconciler = Reconciler(provider: provider, prober: prober, fleet: makeFleetState(localSpec()), logger: quietLogger(), now: { t0 })
        _ = await reconciler.pass()
        prober.set(7001, .answered(availableCapacity: 10, readyToClose: true))
        _ = await reconciler.pass()
        prober.set(7001, .failed("timeout"))
        _ = await reconciler.pass()                                          // 1 failure: kept
        #expect(await provider.fleet.map(\.id) == ["s1"])
        let report = await reconciler.pass()                                 // 2 failures: stop and replace
        #expect(report.plan.map { steps($0) } == ["stop s1", "launch"])
        #expect(report.probeFailures == 1)
    }

    @Test func aFailedActionDoesNotStopTheOthersOrTheLoop() async {
        let provider = FakeProvider()
        await provider.set(failKinds: [.launch])
        let reconciler = Reconciler(provider: provider, prober: FakeProber(), fleet: makeFleetState(localSpec(upscale: 25, downscale: 40)),
                                    logger: quietLogger(), now: { t0 })
        let first = await reconciler.pass()
        #expect(first.outcomes.count == 3)
        #expect(first.outcomes.allSatisfy { !$0.succeeded && $0.error == "launch: injected failure" })
        await provider.set(failKinds: [])
        let second = await reconciler.pass()                                 // planned again, and now it works
        #expect(second.outcomes.filter(\.succeeded).count == 3)
    }

    @Test func anUnobservableFleetSkipsThePassAndSaysWhy() async {
        let provider = FakeProvider()
        await provider.set(failObserve: true)
        let state = makeFleetState(localSpec())
        let reconciler = Reconciler(provider: provider, prober: FakeProber(), fleet: state, logger: quietLogger(), now: { t0 })
        let report = await reconciler.pass()
        #expect(report.plan == nil)
        #expect(report.error == "cannot observe the fleet (provider local): ListTasks: ThrottlingException: Rate exceeded")
        #expect(await provider.applied.isEmpty)
        #expect(await state.snapshot().lastPassError == report.error)
        #expect(FleetMetrics().render().isEmpty == false)
    }

    @Test func thePublishedStateReflectsThePassesOwnActions() async {
        let provider = FakeProvider()
        let prober = FakeProber()
        let state = makeFleetState(localSpec())
        let reconciler = Reconciler(provider: provider, prober: prober, fleet: state, logger: quietLogger(), now: { t0 })
        await provider.apply([.launch(localSpec().taskDefinition, code: .belowUpscaleMargin, reason: "seed"), .launch(localSpec().taskDefinition, code: .belowUpscaleMargin, reason: "seed")], spec: localSpec())
        prober.set(7001, .answered(availableCapacity: 10, readyToClose: true))
        prober.set(7002, .answered(availableCapacity: 10, readyToClose: true))
        let report = await reconciler.pass()                                 // 20 free > 18: park s1
        #expect(report.plan.map { steps($0) } == ["standby s1"])
        // Until the next pass, allocations must not go to the server this pass parked.
        #expect(await state.observed?.servers.first { $0.id == "s1" }?.standby == true)
        for _ in 0..<10 {
            #expect(await state.allocate() == .server(id: "s2", address: HostPort(host: "127.0.0.1", port: 7002)))
        }
    }

    @Test func dryRunPlansButChangesNothing() async {
        let provider = FakeProvider()
        let reconciler = Reconciler(provider: provider, prober: FakeProber(), fleet: makeFleetState(localSpec()), logger: quietLogger(),
                                    dryRun: true, now: { t0 })
        let report = await reconciler.pass()
        #expect(report.plan?.count(.launch) == 1)
        #expect(report.outcomes.isEmpty)
        #expect(await provider.applied.isEmpty)
    }

    @Test func probesRunConcurrentlyUpToTheBound() async {
        let provider = FakeProvider()
        for i in 1...40 {
            await provider.apply([.launch("local:gs {port}", code: .belowUpscaleMargin, reason: "seed")], spec: localSpec())
            _ = i
        }
        let prober = FakeProber(delay: .milliseconds(50))
        let reconciler = Reconciler(provider: provider, prober: prober, fleet: makeFleetState(localSpec(max: 100)), logger: quietLogger(),
                                    probeConcurrency: 16, now: { t0 })
        let report = await reconciler.pass()
        // Every server was probed (none answers here, so each probe is a failure), never more than
        // 16 at once, and with 50 ms probes the bound was actually reached.
        #expect(report.probeFailures == 40)
        #expect(prober.maxInFlight.withLock { $0 } == 16)
    }
}

func steps(_ plan: Plan) -> [String] {
    plan.actions.map { $0.kind == .launch ? "launch" : "\($0.kind.rawValue) \($0.server ?? "?")" }
}

/// A provider that reports stopped servers, for `/v1/fleet`'s `recentlyStopped`.
actor StoppingProvider: FleetProvider {
    var stopped: [StoppedServer] = []
    func servers(spec: FleetSpec) async throws -> [ObservedServer] { [] }
    func apply(_ actions: [Action], spec: FleetSpec) async -> [ActionOutcome] { actions.map { ActionOutcome(action: $0, launched: "s") } }
    func recentlyStopped(spec: FleetSpec) async -> [StoppedServer] { stopped }
    func set(_ stopped: [StoppedServer]) { self.stopped = stopped }
    func shutdown() async {}
}

@Suite("Recently stopped servers in the fleet snapshot")
struct RecentlyStoppedSnapshotTests {
    @Test("Each pass hands the provider's stopped servers to the snapshot, and they are in /v1/fleet's JSON; the local provider reports none")
    func snapshotCarriesThem() async throws {
        let provider = StoppingProvider()
        let state = FleetState(spec: localSpec(), config: ConfigStatus(path: "fleet.yaml", hash: "h0", loadedAt: t0), metrics: FleetMetrics(), now: { t0 })
        let reconciler = Reconciler(provider: provider, prober: FakeProber(), fleet: state, logger: quietLogger(), now: { t0 })
        _ = await reconciler.pass()
        #expect(await state.snapshot().recentlyStopped == [])

        let spot = StoppedServer(id: "arn:aws:ecs:us-east-1:1:task/c/abc", taskID: "abc", stopCode: "SpotInterruption",
                                 stoppedReason: "Your Spot Task was interrupted.", stoppedAt: t0)
        await provider.set([spot])
        _ = await reconciler.pass()
        let snapshot = await state.snapshot()
        #expect(snapshot.recentlyStopped == [spot])
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let json = try #require(try JSONSerialization.jsonObject(with: encoder.encode(snapshot)) as? [String: Any])
        let listed = try #require(json["recentlyStopped"] as? [[String: Any]])
        #expect(listed.first?["stopCode"] as? String == "SpotInterruption")
        #expect(listed.first?["taskID"] as? String == "abc")

        // The default of the protocol: a provider that keeps no account reports none.
        #expect(await FakeProvider().recentlyStopped(spec: localSpec()).isEmpty)
    }
}
