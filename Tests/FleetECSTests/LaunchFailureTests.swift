import AWSClient
import FleetCore
import FleetECS
import FleetRuntime
import Foundation
import Synchronization
import Testing

/// RunTask's `failures` (a cluster without room, an agent gone) through the fault proxy over
/// moto, which never refuses a launch itself: each failed launch carries ECS's reason as its
/// outcome's ``ActionOutcome/failureCode``, `/v1/fleet` keeps it under `launchFailures`, and the
/// launch kind backs off like any failed action.
@Suite("RunTask failures", .serialized)
struct LaunchFailureTests {
    @Test("Launches ECS refuses: ECS's reason per launch in the outcome and /v1/fleet's launchFailures, the launch kind backs off, then the fleet grows")
    func refusedLaunches() async throws {
        try await MotoWorld.with(instances: 3) { world in
            let refusing = Mutex(true)
            let proxy = try await FaultProxy.start(upstream: world.url, schedule: { operation, _ in
                operation == "RunTask" && refusing.withLock { $0 } ? .refuseLaunch : .none
            })
            try await cleaningUp({
                let spec = world.spec(endpoint: proxy.url, minServers: 3)
                try await world.withProvider(spec) { provider in
                    let fleet = FleetState(spec: spec, config: ConfigStatus(path: "fleet.yaml", hash: "1", loadedAt: Date()), metrics: FleetMetrics())
                    let reconciler = Reconciler(provider: provider, prober: ReadOnlyTests.SilentProber(), fleet: fleet, logger: provider.logger)

                    let refused = await reconciler.pass()
                    #expect(refused.outcomes.count == 3)
                    #expect(refused.outcomes.allSatisfy { !$0.succeeded })
                    #expect(refused.outcomes.map(\.failureCode) == ["RESOURCE:MEMORY", "AGENT", "AGENT"], "one reason per launch, in ECS's order")
                    for outcome in refused.outcomes {
                        #expect(outcome.error?.contains("RunTask started 0 of 3") == true, "\(outcome.error ?? "")")
                        #expect(outcome.error?.contains("RESOURCE:MEMORY") == true)
                    }

                    // /v1/fleet, as JSON: the failures with their reason, and the launch kind backing off.
                    let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(await fleet.snapshot())) as? [String: Any]
                    let failures = try #require(json?["launchFailures"] as? [[String: Any]], "no launchFailures in /v1/fleet")
                    #expect(failures.compactMap { $0["reason"] as? String } == ["RESOURCE:MEMORY", "AGENT", "AGENT"])
                    #expect(failures.allSatisfy { ($0["error"] as? String)?.contains("RunTask") == true && $0["at"] != nil })
                    let backoff = await fleet.backoff
                    #expect(backoff.map(\.kind) == [.launch])
                    #expect(backoff.first?.consecutiveFailures == 1)
                    #expect(backoff.first?.lastError.contains("RESOURCE:MEMORY") == true)
                    #expect(try await world.liveTasks().isEmpty, "the refused launches started nothing")

                    // Refused again: the backoff grows. Then the cluster has room: the launches
                    // start, the backoff ends, and the failures stay listed for people.
                    _ = await reconciler.pass()
                    #expect(await fleet.backoff.first?.consecutiveFailures == 2)
                    refusing.withLock { $0 = false }
                    let grown = await reconciler.pass()
                    #expect(grown.outcomes.count == 3 && grown.outcomes.allSatisfy(\.succeeded), "\(grown.outcomes.compactMap(\.error))")
                    #expect(grown.outcomes.allSatisfy { $0.failureCode == nil })
                    #expect(await fleet.backoff.isEmpty)
                    #expect(await fleet.snapshot().launchFailures?.count == 6)
                    #expect(try await world.liveTasks().count == 3)
                }
            }, then: { await proxy.stop() })
        }
    }
}
