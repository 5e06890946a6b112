import AWSClient
import FleetCore
import FleetECS
import FleetRuntime
import Foundation
import Testing

/// A launch is never done twice: the reconcile loop in-process over the ECS provider, moto behind
/// the ``FaultProxy``, with ListTasks lagging behind RunTask (as ECS's eventually consistent
/// listing does; seconds here rather than ECS's tens), RunTask answers lost after moto started
/// the tasks, tasks dying while the listing lags, and a share of all calls failing.
@Suite("A launch is never done twice", .serialized)
struct LaunchOnceTests {
    /// How long ListTasks leaves out a task after RunTask started it.
    // Long enough that the test sees a replacement before ECS lists it, even when a loaded machine
    // makes a pass through moto take seconds (the test checks that it did).
    static let lag: TimeInterval = 8

    /// The fleet's tasks ever started in moto, stopped ones included (moto lists them forever),
    /// read straight from moto, not through the proxy.
    static func everLaunched(_ world: MotoWorld) async throws -> Int {
        try await world.ecs.listTasks(ECSListTasksRequest(cluster: MotoWorld.cluster, startedBy: FleetLabels.startedBy(fleet: "it"))).count
    }

    /// A loop of reconcile passes against `world` through `proxy`, noting after each pass how many
    /// of the fleet's tasks moto runs.
    final class Loop: @unchecked Sendable {
        let world: MotoWorld
        let reconciler: Reconciler
        let prober: RunningTasksProber
        let fleet: FleetState
        var mostRunning = 0
        var passes = 0
        var errors: [String] = []

        init(world: MotoWorld, provider: ECSProvider, spec: FleetSpec) {
            self.world = world
            prober = RunningTasksProber(capacity: spec.gameserver.capacity)
            fleet = FleetState(spec: spec, config: ConfigStatus(path: "fleet.yaml", hash: "test", loadedAt: Date()), metrics: FleetMetrics())
            reconciler = Reconciler(provider: provider, prober: prober, fleet: fleet, logger: provider.logger)
        }

        func running() async throws -> [ECSTask] {
            try await world.liveTasks()
        }

        /// Passes, 150 ms apart, for `seconds`.
        func run(seconds: TimeInterval) async throws {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                let live = try await running()
                prober.set(hosts: Set(live.compactMap { $0.containerInstanceArn.flatMap { world.hostIPs[$0] } }))
                let report = await reconciler.pass()
                passes += 1
                if let error = report.error { errors.append(error) }
                errors += report.outcomes.compactMap(\.error)
                mostRunning = max(mostRunning, try await running().count)
                try await Task.sleep(for: .milliseconds(150))
            }
        }
    }

    @Test("Demand grows while the listing lags and the first RunTask's answer is lost: 3 tasks, not 5")
    func lostAnswerWhileListingLags() async throws {
        try await MotoWorld.with(instances: 8) { world in
            // Both attempts of the first RunTask reach moto and lose their answer.
            let proxy = try await FaultProxy.start(upstream: world.url) { operation, sequence in
                operation == "RunTask" && sequence < 2 ? .dropAfter : .none
            }
            proxy.setListingLag(seconds: Self.lag)
            try await cleaningUp({
                let settings = ECSProvider.Settings(
                    retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10), maxBackoff: .milliseconds(50)),
                    callTimeout: .seconds(5))
                var spec = world.spec(endpoint: proxy.url, capacity: 4, upscaleMargin: 1, downscaleMargin: 20, minServers: 2)
                try await world.withProvider(spec, settings: settings) { provider in
                    let loop = Loop(world: world, provider: provider, spec: spec)
                    try await loop.run(seconds: 0.1)
                    #expect(try await Self.everLaunched(world) == 2, "the first pass started 2 tasks, and lost the answer")
                    // One more server wanted while ECS lists neither of the first two yet.
                    spec.scaling.minServers = 3
                    await loop.fleet.adopt(spec, hash: "three", at: Date())
                    try await loop.run(seconds: Self.lag + 2)

                    let launched = try await Self.everLaunched(world)
                    print("lost answer + listing lag: \(launched) task(s) launched for a fleet of 3 in \(loop.passes) passes; \(proxy.log.replayedTokens) token(s) replayed; at most \(loop.mostRunning) running at once")
                    #expect(launched == 3, "2 + 1: the lost launch was retried under its own token, and only the one new server launched")
                    #expect(try await world.liveTasks().count == 3)
                    #expect(loop.mostRunning == 3)
                    #expect(proxy.log.replayedTokens >= 1, "the retry carried the lost launch's token")
                }
            }, then: { await proxy.stop() })
        }
    }

    /// 20% of all calls fail (throttled, 500, connection dropped before or after moto acted),
    /// chosen by a hash of a salt, the operation and its sequence number, so a run is repeatable.
    /// The salt `seed20` makes RunTask calls 4 and 5 (one call and its retry) lose their answers
    /// after moto started the tasks, and call 9 drop before moto sees it.
    static let fifthFails: FaultProxy.Schedule = { operation, sequence in
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array("seed20".utf8) + Array(operation.utf8) + withUnsafeBytes(of: UInt64(sequence).littleEndian, Array.init) {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        hash ^= hash >> 29
        guard hash % 5 == 0 else { return .none }
        let faults: [FaultProxy.Fault] = [.throttle, .serverError, .dropBefore, .dropAfter]
        return faults[Int((hash / 5) % 4)]
    }

    @Test("20% of calls failing, a lagging listing and three task deaths (one a replacement never listed): a fleet of 3 runs at most 3 and launches 3 + 3")
    func deathsWhileListingLags() async throws {
        try await MotoWorld.with(instances: 12) { world in
            let proxy = try await FaultProxy.start(upstream: world.url, schedule: Self.fifthFails)
            proxy.setListingLag(seconds: Self.lag)
            try await cleaningUp({
                let settings = ECSProvider.Settings(
                    retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10), maxBackoff: .milliseconds(50)),
                    callTimeout: .seconds(5))
                let spec = world.spec(endpoint: proxy.url, capacity: 4, upscaleMargin: 1, downscaleMargin: 20, minServers: 3)
                try await world.withProvider(spec, settings: settings) { provider in
                    let loop = Loop(world: world, provider: provider, spec: spec)
                    func kill(_ task: String) async throws {
                        try await world.ecs.stopTask(cluster: MotoWorld.cluster, task: task, reason: "Spot interruption (test)")
                    }

                    // Up and listed.
                    try await loop.run(seconds: Self.lag + 2)
                    let first = try await world.liveTasks().map(\.taskArn).sorted()
                    #expect(first.count == 3)

                    // Two of them die a second apart: each replacement is still unlisted when the
                    // next death is seen.
                    try await kill(first[0])
                    try await loop.run(seconds: 1)
                    try await kill(first[1])
                    var replacements: [String] = []
                    for _ in 0..<40 where replacements.count < 2 {
                        try await loop.run(seconds: 0.2)
                        replacements = try await world.liveTasks().map(\.taskArn).filter { !first.contains($0) }
                    }
                    // The second replacement dies before ECS ever lists it.
                    #expect(replacements.count == 2, "one replacement per death: \(replacements)")
                    let newest = try #require(replacements.max { (proxy.launchedAt($0) ?? .distantPast) < (proxy.launchedAt($1) ?? .distantPast) })
                    #expect(Date().timeIntervalSince(proxy.launchedAt(newest) ?? .distantPast) < Self.lag, "the replacement killed is one ECS does not list yet")
                    try await kill(newest)
                    try await loop.run(seconds: Self.lag + 3)

                    let launched = try await Self.everLaunched(world)
                    let faults = proxy.log.faults.map { "\($0.key.rawValue) \($0.value)" }.sorted().joined(separator: ", ")
                    print("20% failing, \(Int(Self.lag))s listing lag, 3 deaths: \(launched) task(s) launched, at most \(loop.mostRunning) running at once, \(try await world.liveTasks().count) running at the end; \(loop.passes) passes, faults \(faults), \(proxy.log.replayedTokens) token(s) replayed, \(loop.errors.count) errors reported")
                    #expect(loop.mostRunning <= 3, "never more than the fleet's 3 at once")
                    #expect(launched == 6, "3 + one replacement per death")
                    #expect(try await world.liveTasks().count == 3, "the fleet is back at 3")
                }
            }, then: { await proxy.stop() })
        }
    }
}
