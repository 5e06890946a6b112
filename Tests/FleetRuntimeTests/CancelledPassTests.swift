import FleetCore
import FleetRuntime
import Foundation
import Logging
import Synchronization
import Testing

/// Answers from a table until told to hang; a hanging probe ends only when cancelled, and then
/// reports a failure, as the real HTTP prober does when its task is cancelled.
final class HangingProber: HealthProber, Sendable {
    let hang = Mutex(false)
    let answer: ProbeResult

    init(answer: ProbeResult) { self.answer = answer }

    func probe(host: String, port: Int, path: String, timeout: Duration) async -> ProbeResult {
        guard hang.withLock({ $0 }) else { return answer }
        while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
        return .failed("cancelled")
    }
}

@Suite("A pass cancelled by shutdown")
struct CancelledPassTests {
    /// A graceful shutdown cancels the pass in flight. Its probes were cut short by the shutdown, not
    /// by the servers: counting them as failures (and planning from them) could stop healthy servers.
    @Test func recordsNoFailureAndActsOnNothing() async throws {
        let spec = localSpec(upscale: 4, downscale: 18, min: 1, max: 10)
        let provider = FakeProvider()
        let prober = HangingProber(answer: .answered(availableCapacity: 5, readyToClose: false))
        let state = makeFleetState(spec)
        let reconciler = Reconciler(provider: provider, prober: prober, fleet: state, logger: quietLogger(), now: { t0 })
        await provider.seed([
            ObservedServer(id: "a", address: HostPort(host: "127.0.0.1", port: 7001), taskDefinition: spec.taskDefinition, launchedAt: t0),
            ObservedServer(id: "b", address: HostPort(host: "127.0.0.1", port: 7002), taskDefinition: spec.taskDefinition, launchedAt: t0),
        ])
        // Two healthy passes, so one more failed probe would reach a threshold of 2 for nobody yet,
        // and a plan made from a failed round would launch to replace the "lost" free slots.
        _ = await reconciler.pass()
        _ = await reconciler.pass()
        let appliedBefore = await provider.applied.count
        let publishedBefore = await state.lastPlan

        prober.hang.withLock { $0 = true }
        let pass = Task { await reconciler.pass() }
        try await Task.sleep(for: .milliseconds(200))
        pass.cancel()
        let report = await pass.value

        #expect(report.plan == nil, "a cancelled pass planned: \(String(describing: report.plan?.actions))")
        #expect(await provider.applied.count == appliedBefore, "a cancelled pass applied actions")
        #expect(await state.lastPlan == publishedBefore, "a cancelled pass published")
        // The next pass (after a restart of the loop, say) sees no failure left behind.
        prober.hang.withLock { $0 = false }
        let next = await reconciler.pass()
        let health = await state.observed?.servers.map(\.health.consecutiveFailures)
        #expect(health == [0, 0], "cancelled probes were counted as failures: \(String(describing: health))")
        #expect(next.plan?.actions.isEmpty == true)
    }
}

@Suite("JSON log lines")
struct JSONLogTests {
    /// A plan line in JSON: one object a line, with the fields a log pipeline queries.
    @Test func aPlannedActionLogsItsFields() async throws {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "gamefleet") { label in
            var handler = JSONLogHandler(label: label) { line in lines.withLock { $0.append(line) } }
            handler.logLevel = .info
            return handler
        }
        logger[metadataKey: "fleet"] = "chess"
        let provider = FakeProvider()
        let reconciler = Reconciler(provider: provider, prober: FakeProber(), fleet: makeFleetState(localSpec()), logger: logger, dryRun: true, now: { t0 })
        _ = await reconciler.pass()
        let objects = lines.withLock { $0 }.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == lines.withLock { $0.count }, "every line is one JSON object")
        let launch = try #require(objects.first { $0["action"] as? String == "launch" }, "\(lines.withLock { $0 })")
        #expect(launch["fleet"] as? String == "chess")
        #expect(launch["reason_code"] as? String == "belowUpscaleMargin")
        #expect(launch["level"] as? String == "info")
        #expect((launch["message"] as? String)?.hasPrefix("would + launch") == true)
        #expect(launch["time"] is String)
        #expect(lines.withLock { $0 }.allSatisfy { $0.hasSuffix("\n") && $0.dropLast().firstIndex(of: "\n") == nil })
    }
}
