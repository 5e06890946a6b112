import AWSClient
import FleetCore
@testable import FleetECS
import Foundation
import Synchronization
import Testing

/// Client-side pacing of EC2 calls (launch-template mode) to EC2's documented buckets, with the
/// same pacer as ECS's, on a virtual clock. The EC2 side is the in-memory EC2 behind
/// ``ThrottlingEC2``, which answers `RequestLimitExceeded` as EC2 does when a bucket is short
/// (moto never throttles; this fake stands in for AWS here).
@Suite("Pacing EC2 calls to the documented rates")
struct EC2PacingTests {
    /// EC2's side of the buckets: each call takes its tokens (one per call from its request bucket,
    /// one per instance from its resource bucket) on the same clock, and a call that finds a
    /// bucket short is refused with RequestLimitExceeded without acting.
    final class ThrottlingEC2: EC2API {
        let base: InMemoryEC2
        let clock: StepClock
        let limits = ECSRateLimits.documented
        private let buckets = Mutex<[ECSRateLimits.Bucket: TokenBucket]>([:])
        /// Calls refused.
        let throttled = Mutex(0)

        init(base: InMemoryEC2, clock: StepClock) {
            self.base = base
            self.clock = clock
        }

        func admit(_ operation: String, instances: Int = 1) throws {
            let now = ECSRequestPacer.seconds(clock.elapsed)
            let refused = buckets.withLock { buckets -> Bool in
                var taken: [ECSRateLimits.Bucket: TokenBucket] = [:]
                for bucket in limits.buckets(for: operation) {
                    var tokens = buckets[bucket] ?? TokenBucket(burst: bucket.burst, now: now)
                    if tokens.reserve(bucket.countsInstances ? instances : 1, perSecond: bucket.perSecond, burst: bucket.burst, now: now) > 0 { return true }
                    taken[bucket] = tokens
                }
                buckets.merge(taken) { $1 }
                return false
            }
            if refused {
                throttled.withLock { $0 += 1 }
                throw AWSServiceError(service: "ec2", operation: operation, statusCode: 503, code: "RequestLimitExceeded", message: "Request limit exceeded (test)")
            }
        }

        func describeInstances(ids: [String]) async throws -> [EC2Instance] {
            try admit("DescribeInstances"); return try await base.describeInstances(ids: ids)
        }
        func describeInstances(filters: [EC2Filter]) async throws -> [EC2Instance] {
            try admit("DescribeInstances"); return try await base.describeInstances(filters: filters)
        }
        func describeNetworkInterfaces(ids: [String]) async throws -> [EC2NetworkInterface] {
            try admit("DescribeNetworkInterfaces"); return try await base.describeNetworkInterfaces(ids: ids)
        }
        func runInstances(_ request: EC2RunInstancesRequest) async throws -> [EC2Instance] {
            try admit("RunInstances", instances: request.maxCount); return try await base.runInstances(request)
        }
        func terminateInstances(ids: [String]) async throws {
            try admit("TerminateInstances", instances: ids.count); try await base.terminateInstances(ids: ids)
        }
    }

    struct Burst: Sendable, CustomTestStringConvertible {
        var name: String
        var launches: Int
        var stops: Int
        /// Seconds the burst takes: what is past the tightest bucket's burst at its rate.
        var duration: Double
        var pacedBy: String
        var testDescription: String { name }
    }

    static let bursts = [
        Burst(name: "1,200 hosts: 120 RunInstances of 10; 1,000 instances at once, 200 at EC2's 2 instances/s", launches: 1200, stops: 0, duration: 200.0 / 2, pacedBy: "EC2 RunInstances resource"),
        Burst(name: "100 hosts that never registered terminated: 50 TerminateInstances at once, 50 at EC2's mutating 5/s", launches: 0, stops: 100, duration: 50.0 / 5, pacedBy: "EC2 mutating"),
        Burst(name: "200 hosts: 20 RunInstances within every burst, nothing paced", launches: 200, stops: 0, duration: 0, pacedBy: ""),
    ]

    static func world(_ clock: StepClock, rateLimits: ECSRateLimits?) -> (ECSProvider, ThrottlingEC2, FleetSpec) {
        let world = Fixtures.World()
        world.ecs.register(Fixtures.bridgeDefinition())
        let ec2 = ThrottlingEC2(base: world.ec2, clock: clock)
        let provider = ECSProvider(
            ecs: world.ecs, ec2: ec2, settings: .init(concurrency: 8, rateLimits: rateLimits), now: world.date.closure, clock: clock)
        return (provider, ec2, Fixtures.spec(launchTemplate: "gameserver-host:3", maxServers: 5000))
    }

    static func actions(_ burst: Burst) -> [Action] {
        ApplyTests.launches(burst.launches) + (0..<burst.stops).map { n in
            Action(kind: .stop, server: String(format: "i-%017x", 0x10000 + n), code: .hostNeverRegistered, reason: "host did not register within startupGrace")
        }
    }

    @Test("Without pacing, terminating 100 hosts at once is answered with RequestLimitExceeded (what EC2 calls did before they were paced)")
    func unpacedIsThrottled() async throws {
        let clock = StepClock()
        let (provider, ec2, spec) = Self.world(clock, rateLimits: nil)
        let outcomes = await provider.apply(Self.actions(Self.bursts[1]), spec: spec)
        #expect(ec2.throttled.withLock { $0 } > 0)
        #expect(outcomes.contains { $0.error?.contains("RequestLimitExceeded") == true })
    }

    @Test("Host launches and terminations are paced to EC2's documented buckets, not throttled; each outcome says how long and by which rate", arguments: bursts)
    func pacedNotThrottled(_ burst: Burst) async throws {
        let clock = StepClock()
        let (provider, ec2, spec) = Self.world(clock, rateLimits: .documented)
        let outcomes = await provider.apply(Self.actions(burst), spec: spec)
        #expect(ec2.throttled.withLock { $0 } == 0)
        #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error).prefix(2))")
        #expect(outcomes.compactMap(\.launched).count == burst.launches)
        // The last call goes once its bucket has refilled for it, and not later (a millisecond
        // of margin per wait).
        let took = ECSRequestPacer.seconds(clock.elapsed)
        #expect(took >= burst.duration && took <= burst.duration + 0.5, "the burst took \(took) s")
        if burst.duration > 0 {
            let note = try #require(outcomes.compactMap(\.pacingNote).max { $0.count < $1.count })
            #expect(outcomes.compactMap(\.pacingNote).contains { $0.contains(burst.pacedBy) }, "\(note)")
            #expect(provider.pacer?.pacedSeconds.keys.contains { $0.contains(burst.pacedBy) } == true, "\(provider.pacer?.pacedSeconds ?? [:])")
        } else {
            #expect(outcomes.allSatisfy { $0.pacedSeconds == nil && $0.pacingNote == nil })
        }
    }

    @Test("A bucket that counts instances takes one token per instance: 1,000 at once, then 2 a second")
    func instanceTokens() {
        let bucket = ECSRateLimits.documented.ec2RunInstancesResource
        var tokens = TokenBucket(burst: bucket.burst, now: 0)
        #expect(tokens.reserve(990, perSecond: bucket.perSecond, burst: bucket.burst, now: 0) == 0)
        #expect(tokens.reserve(10, perSecond: bucket.perSecond, burst: bucket.burst, now: 0) == 0)
        #expect(tokens.reserve(10, perSecond: bucket.perSecond, burst: bucket.burst, now: 0) == 5)
        #expect(ECSRateLimits.documented.buckets(for: "RunInstances").map(\.countsInstances) == [false, true])
        #expect(ECSRateLimits.documented.buckets(for: "DescribeInstances") == [ECSRateLimits.documented.ec2Describe])
    }
}
