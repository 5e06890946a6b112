import AWSClient
import FleetCore
import FleetECS
import Foundation
import Testing

/// Pacing from outside, on the wall clock: the fault proxy plays ECS's RunTask bucket in front of
/// moto (burst 5, 10 a second here, so the test takes seconds, not minutes) and answers
/// ThrottlingException past it. The provider paced to the same rate (one token of burst spare,
/// for the requests' own jitter on a loaded machine) is never refused; unpaced, it is.
@Suite("Pacing against a throttling proxy (moto)", .serialized)
struct PacingMotoTests {
    static let ecsBucket = ECSRateLimits.Bucket(name: "RunTask/StopTask rate (proxy)", burst: 5, perSecond: 10)

    static func limits(burst: Int) -> ECSRateLimits {
        var limits = ECSRateLimits.documented
        limits.clusterResourceModify = ECSRateLimits.Bucket(name: "RunTask/StopTask rate (scaled down)", burst: burst, perSecond: ecsBucket.perSecond)
        return limits
    }

    /// 200 launches (20 RunTask) through a fresh proxy; returns the outcomes and the refusals.
    static func scaleUp(_ world: MotoWorld, rateLimits: ECSRateLimits?) async throws -> ([ActionOutcome], Int) {
        let proxy = try await FaultProxy.start(upstream: world.url, schedule: { _, _ in .none })
        return try await cleaningUp({
            proxy.throttle(["RunTask", "StopTask"], with: ecsBucket)
            let spec = world.spec(endpoint: proxy.url, maxServers: 500, taskDefinition: "paced")
            let settings = ECSProvider.Settings(retryPolicy: .none, rateLimits: rateLimits)
            let outcomes = try await world.withProvider(spec, settings: settings) { provider in
                await provider.apply(ApplyTests.launches(200, "paced"), spec: spec)
            }
            return (outcomes, proxy.throttled)
        }, then: { await proxy.stop() })
    }

    @Test("20 RunTask calls against a bucket of 5 and 10/s: unpaced some are throttled; paced none is, and the outcomes say how long they waited")
    func pacedAgainstTheProxy() async throws {
        try await MotoWorld.with(instances: 1, family: "paced", networkMode: "host", memory: 7, staticHostPort: false) { world in
            let (unpaced, refusedUnpaced) = try await Self.scaleUp(world, rateLimits: nil)
            #expect(refusedUnpaced > 0)
            #expect(unpaced.contains { $0.error?.contains("ThrottlingException") == true })

            let (paced, refusedPaced) = try await Self.scaleUp(world, rateLimits: Self.limits(burst: Self.ecsBucket.burst - 1))
            #expect(refusedPaced == 0)
            #expect(paced.allSatisfy { $0.succeeded }, "\(paced.compactMap(\.error).prefix(2))")
            let longest = paced.compactMap(\.pacedSeconds).max() ?? 0
            #expect(longest > 0)
            #expect(paced.compactMap(\.pacingNote).contains { $0.contains("RunTask/StopTask rate (scaled down) burst 4, 10/s") })
            print("pacing against the proxy: unpaced \(refusedUnpaced) of 20 RunTask throttled; paced 0, the longest wait \(longest) s")
        }
    }
}
