import FleetCore
import FleetHTTP
import FleetRuntime
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import Testing

/// `/readyz` tells a loop that stopped turning from one that runs.
@Suite("Watchdog")
struct WatchdogTests {
    /// The first pass ends; the second hangs in the provider. Once 3 × interval + timeout has passed
    /// on the state's clock, `/readyz` answers 503 and says why; the gauge keeps the last pass's time.
    @Test func aStalledLoopMakesReadyz503WithTheReason() async throws {
        let date = ManualDate(probeTime)
        var fleetSpec = spec()
        fleetSpec.gameserver.health.interval = .milliseconds(100)
        fleetSpec.gameserver.health.timeout = .milliseconds(200)
        let metrics = FleetMetrics()
        let state = FleetState(spec: fleetSpec, config: ConfigStatus(path: "fleet.yaml", hash: "abc", loadedAt: probeTime), metrics: metrics,
                               now: { date.now })
        let provider = StallingProvider()
        let reconciler = Reconciler(provider: provider, prober: NoProber(), fleet: state, logger: quiet(), now: { date.now })
        let loop = Task { try await ReconcileService(reconciler: reconciler, fleet: state, logger: quiet()).run() }
        defer { loop.cancel() }

        try await adminApp(state, metrics).test(.router) { client in
            // Wait (generously) until the loop is stuck in its second observation.
            let end = ContinuousClock.now + .seconds(30)
            while provider.calls < 2 && ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(10)) }
            #expect(provider.calls == 2)
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
            }
            // 3 × 100ms + 200ms = 500ms: just at the limit the loop is still given the benefit of the doubt.
            date.advance(0.5)
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
            }
            date.advance(9.5)
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let body = String(buffer: response.body)
                #expect(body.contains(#""status":"stalled""#), "\(body)")
                #expect(body.contains("has not completed a pass for 10.0s"), "\(body)")
                #expect(body.contains("3 × interval + timeout = 500ms"), "\(body)")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                let line = text.split(separator: "\n").first { $0.hasPrefix("gamefleet_last_pass_timestamp_seconds ") }
                let value = line.flatMap { Double($0.split(separator: " ").last ?? "") }
                #expect(value == probeTime.timeIntervalSince1970, "\(line ?? "no gamefleet_last_pass_timestamp_seconds")")
            }
        }
        loop.cancel()
        _ = try? await loop.value
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var lastPassAgo: Double?
        var startedAgo: Double = 100
        var status: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        Case(name: "no pass yet", lastPassAgo: nil, startedAgo: 0, status: "waiting for the first reconcile pass"),
        Case(name: "a pass just now", lastPassAgo: 0, status: "ready"),
        Case(name: "exactly at the limit", lastPassAgo: 32, status: "ready"),
        Case(name: "past the limit", lastPassAgo: 32.5, status: "stalled"),
        Case(name: "a clock that went backwards", lastPassAgo: -60, status: "ready"),
        Case(name: "a first pass that never ends", lastPassAgo: nil, startedAgo: 40, status: "stalled"),
        Case(name: "a first pass still within the limit", lastPassAgo: nil, startedAgo: 30, status: "waiting for the first reconcile pass"),
    ])
    func readiness(_ c: Case) {
        // interval 10s, timeout 2s: limit 32s.
        let health = HealthSpec(interval: .seconds(10), timeout: .seconds(2))
        let readiness = Watchdog.readiness(lastPassEndedAt: c.lastPassAgo.map { probeTime.addingTimeInterval(-$0) },
                                           startedAt: probeTime.addingTimeInterval(-c.startedAgo), health: health, now: probeTime)
        #expect(readiness.status == c.status)
        #expect(readiness.ready == (c.status == "ready"))
        #expect((readiness.reason != nil) == (c.status == "stalled"))
    }
}

/// A wall clock that moves only when the test says so.
final class ManualDate: Sendable {
    private let date: NIOLockedValueBox<Date>
    init(_ start: Date) { date = NIOLockedValueBox(start) }
    var now: Date { date.withLockedValue { $0 } }
    func advance(_ seconds: TimeInterval) { date.withLockedValue { $0 = $0.addingTimeInterval(seconds) } }
}

/// Lists an empty fleet once, then never answers again (until cancelled): a provider whose API hangs.
final class StallingProvider: FleetProvider, Sendable {
    private let count = NIOLockedValueBox(0)
    var calls: Int { count.withLockedValue { $0 } }

    func servers(spec: FleetSpec) async throws -> [ObservedServer] {
        let call = count.withLockedValue { $0 += 1; return $0 }
        if call > 1 { try await Task.sleep(for: .seconds(3600)) }
        return []
    }

    func apply(_ actions: [Action], spec: FleetSpec) async -> [ActionOutcome] {
        actions.map { ActionOutcome(action: $0) }
    }

    func shutdown() async {}
}

struct NoProber: HealthProber {
    func probe(host: String, port: Int, path: String, timeout: Duration) async -> ProbeResult { .failed("no server") }
}

func quiet() -> Logger {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}
