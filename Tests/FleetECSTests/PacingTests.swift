import AWSClient
import FleetCore
@testable import FleetECS
import Foundation
import Synchronization
import Testing

/// Client-side pacing to ECS's documented throttling buckets, on a virtual clock. The ECS side is
/// the in-memory ECS behind ``ThrottlingECS``, which answers `ThrottlingException` as ECS does
/// when a bucket is empty (moto never throttles).
@Suite("Pacing ECS calls to the documented rates")
struct PacingTests {
    /// ECS's side of the buckets: each call takes a token of its buckets on the same clock, and
    /// a call that finds one empty is refused with ThrottlingException (the in-memory ECS acts
    /// on nothing).
    final class ThrottlingECS: ECSAPI {
        let base: InMemoryECS
        let clock: StepClock
        let limits = ECSRateLimits.documented
        private let buckets = Mutex<[ECSRateLimits.Bucket: TokenBucket]>([:])
        /// RunTask calls refused.
        let throttled = Mutex(0)

        init(base: InMemoryECS, clock: StepClock) {
            self.base = base
            self.clock = clock
        }

        func admit(_ operation: String, fargate: Bool = false) throws {
            let now = ECSRequestPacer.seconds(clock.elapsed)
            let refused = buckets.withLock { buckets -> Bool in
                var taken: [ECSRateLimits.Bucket: TokenBucket] = [:]
                for bucket in limits.buckets(for: operation, fargate: fargate) {
                    var tokens = buckets[bucket] ?? TokenBucket(burst: bucket.burst, now: now)
                    if tokens.take(perSecond: bucket.perSecond, burst: bucket.burst, now: now) != nil { return true }
                    taken[bucket] = tokens
                }
                buckets.merge(taken) { $1 }
                return false
            }
            if refused {
                if operation == "RunTask" { throttled.withLock { $0 += 1 } }
                throw InMemoryECS.serviceError(operation, "ThrottlingException")
            }
        }

        func listTasks(cluster: String, startedBy: String, nextToken: String?) async throws -> ECSPage {
            try admit("ListTasks"); return try await base.listTasks(cluster: cluster, startedBy: startedBy, nextToken: nextToken)
        }
        func describeTasks(cluster: String, arns: [String]) async throws -> ECSTasksResult {
            try admit("DescribeTasks"); return try await base.describeTasks(cluster: cluster, arns: arns)
        }
        func describeTaskDefinition(_ name: String) async throws -> ECSTaskDefinition {
            try admit("DescribeTaskDefinition"); return try await base.describeTaskDefinition(name)
        }
        func listContainerInstances(cluster: String, nextToken: String?) async throws -> ECSPage {
            try admit("ListContainerInstances"); return try await base.listContainerInstances(cluster: cluster, nextToken: nextToken)
        }
        func describeContainerInstances(cluster: String, arns: [String]) async throws -> ECSContainerInstancesResult {
            try admit("DescribeContainerInstances"); return try await base.describeContainerInstances(cluster: cluster, arns: arns)
        }
        func runTask(_ request: ECSRunTaskRequest) async throws -> ECSTasksResult {
            try admit("RunTask", fargate: PacedECS.isFargate(request)); return try await base.runTask(request)
        }
        func stopTask(cluster: String, task: String, reason: String) async throws {
            try admit("StopTask"); try await base.stopTask(cluster: cluster, task: task, reason: reason)
        }
        func tagResource(_ arn: String, tags: [ECSTag]) async throws {
            try admit("TagResource"); try await base.tagResource(arn, tags: tags)
        }
        func untagResource(_ arn: String, keys: [String]) async throws {
            try admit("UntagResource"); try await base.untagResource(arn, keys: keys)
        }
    }

    struct ScaleUp: Sendable, CustomTestStringConvertible {
        var name: String
        var launches: Int
        var launchType: ECSLaunchType
        /// Seconds the scale-up takes: the calls past the burst at the bucket's rate.
        var duration: Double
        var pacedBy: String
        var testDescription: String { name }
    }

    static let scaleUps = [
        ScaleUp(name: "1,500 EC2 servers: 150 RunTask, 100 at once, 50 at 40/s", launches: 1500, launchType: .ec2, duration: 50.0 / 40, pacedBy: "RunTask/StopTask rate"),
        ScaleUp(name: "300 Fargate servers: 30 RunTask, 20 at once, 10 at Fargate's 20/s", launches: 300, launchType: .fargate, duration: 10.0 / 20, pacedBy: "Fargate RunTask rate"),
        ScaleUp(name: "200 EC2 servers: 20 RunTask within the burst, nothing paced", launches: 200, launchType: .ec2, duration: 0, pacedBy: ""),
    ]

    static func world(_ clock: StepClock, rateLimits: ECSRateLimits?, launchType: ECSLaunchType) -> (ECSProvider, ThrottlingECS, FleetSpec) {
        let world = Fixtures.World()
        world.ecs.register(Fixtures.bridgeDefinition(hostPort: nil))
        let ecs = ThrottlingECS(base: world.ecs, clock: clock)
        let provider = ECSProvider(
            ecs: ecs, ec2: world.ec2, settings: .init(concurrency: 8, rateLimits: rateLimits), now: world.date.closure, clock: clock)
        let spec = Fixtures.spec(launchType: launchType, subnets: launchType == .fargate ? ["subnet-1"] : [], maxServers: 5000)
        return (provider, ecs, spec)
    }

    @Test("Without pacing, a scale-up past the burst is answered with ThrottlingException (the defect)")
    func unpacedIsThrottled() async throws {
        let clock = StepClock()
        let (provider, ecs, spec) = Self.world(clock, rateLimits: nil, launchType: .ec2)
        let outcomes = await provider.apply(ApplyTests.launches(1500), spec: spec)
        #expect(ecs.throttled.withLock { $0 } > 0)
        #expect(outcomes.contains { $0.error?.contains("ThrottlingException") == true })
    }

    @Test("A scale-up is paced to the documented bucket, not throttled; each outcome says how long and by which rate", arguments: scaleUps)
    func pacedNotThrottled(_ scaleUp: ScaleUp) async throws {
        let clock = StepClock()
        let (provider, ecs, spec) = Self.world(clock, rateLimits: .documented, launchType: scaleUp.launchType)
        let outcomes = await provider.apply(ApplyTests.launches(scaleUp.launches), spec: spec)
        #expect(ecs.throttled.withLock { $0 } == 0)
        #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error).prefix(2))")
        // The last call past the burst goes once the bucket has refilled for it, and not later
        // (8 calls in flight, a millisecond of margin each).
        let took = ECSRequestPacer.seconds(clock.elapsed)
        #expect(took >= scaleUp.duration && took <= scaleUp.duration + 0.05, "the scale-up took \(took) s")
        if scaleUp.duration > 0 {
            let note = try #require(outcomes.compactMap(\.pacingNote).last)
            #expect(note.contains(scaleUp.pacedBy), "\(note)")
            // The batches past the burst wait (a few fewer when the virtual clock has jumped
            // ahead for another sleeper by the time they ask); those within it never do.
            let paced = outcomes.filter { $0.pacedSeconds != nil }.count
            let pastBurst = (scaleUp.launches / 10 - (scaleUp.launchType == .fargate ? 20 : 100)) * 10
            #expect(paced > 0 && paced <= pastBurst, "\(paced) paced, \(pastBurst) past the burst")
            #expect(provider.pacer?.pacedSeconds.isEmpty == false)
        } else {
            #expect(outcomes.allSatisfy { $0.pacedSeconds == nil && $0.pacingNote == nil })
        }
    }

    @Test("Reserving tokens: a full bucket gives the burst at once, then one token per 1/rate seconds, in order")
    func reserve() {
        var bucket = TokenBucket(burst: 3, now: 0)
        let waits = (0..<6).map { _ in bucket.reserve(perSecond: 2, burst: 3, now: 0) }
        #expect(waits == [0, 0, 0, 0.5, 1.0, 1.5])
        // Two seconds later four tokens have come back, three of them owed: one is free.
        #expect(bucket.reserve(perSecond: 2, burst: 3, now: 2) == 0)
        #expect(bucket.reserve(perSecond: 2, burst: 3, now: 2) == 0.5)
        var dry = TokenBucket(burst: 1, now: 0)
        _ = dry.reserve(perSecond: 0, burst: 1, now: 0)
        #expect(dry.reserve(perSecond: 0, burst: 1, now: 5) == .infinity)
    }
}
