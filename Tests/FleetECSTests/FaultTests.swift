import AWSClient
import FleetCore
import FleetECS
import Foundation
import Testing

/// The provider through ``FaultProxy``: throttling, 500s, dropped connections (before and after
/// moto acted) and slow answers. The loop must converge, start nothing twice, and report every
/// error with the operation it came from.
@Suite("ECS provider under injected faults", .serialized)
struct FaultTests {
    static let operations = [
        "ListTasks", "DescribeTasks", "DescribeTaskDefinition", "DescribeContainerInstances", "DescribeInstances",
        "RunTask", "StopTask", "TagResource", "UntagResource",
    ]

    /// Every operation cycles through every fault; on top of that the first RunTask fails all
    /// its three attempts (so a launch fails and is planned again), the next one is dropped after
    /// moto started the tasks (so only the token saves the retry from launching twice), and one
    /// ListTasks call fails for good (so a pass is skipped).
    static let schedule: FaultProxy.Schedule = { operation, sequence in
        if operation == "RunTask" {
            switch sequence {
            case 0: return .throttle
            case 1: return .serverError
            case 2: return .dropBefore
            case 3: return .dropAfter
            default: break
            }
        }
        if operation == "ListTasks", (3...5).contains(sequence) { return .serverError }
        let cycle: [FaultProxy.Fault] = [.throttle, .none, .serverError, .none, .dropAfter, .slow, .none, .dropBefore, .none]
        return cycle[sequence % cycle.count]
    }

    @Test("Scale to 5 servers and back to 2 through faults: converges, nothing twice, every error names its operation")
    func convergesThroughFaults() async throws {
        try await MotoWorld.with(instances: 6) { world in
            let proxy = try await FaultProxy.start(upstream: world.url, schedule: Self.schedule)
            try await cleaningUp({
                let settings = ECSProvider.Settings(
                    retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxBackoff: .milliseconds(200)),
                    callTimeout: .seconds(5))
                var spec = world.spec(endpoint: proxy.url, capacity: 4, upscaleMargin: 3, downscaleMargin: 8, minServers: 5)
                try await world.withProvider(spec, settings: settings) { provider in
                    var errors: [String] = []

                    /// Passes until a plan is empty twice in a row; every server that runs answers
                    /// its probe with all slots free and ready to close (health is not under test).
                    func converge() async -> Int {
                        var quiet = 0
                        for pass in 1...40 {
                            let servers: [ObservedServer]
                            do {
                                servers = try await provider.servers(spec: spec)
                            } catch {
                                errors.append("\(error)")
                                continue
                            }
                            let probed = servers.map { server -> ObservedServer in
                                var server = server
                                if server.lifecycle == .running {
                                    server.health.recordSuccess(availableCapacity: spec.gameserver.capacity, readyToClose: true, at: Date())
                                }
                                return server
                            }
                            let expected = await provider.expectedLaunches(spec: spec)
                            let plan = Planner.plan(spec: spec, observed: ObservedState(servers: probed, expected: expected), now: Date())
                            if plan.isEmpty {
                                quiet += 1
                                if quiet == 2 { return pass }
                                continue
                            }
                            quiet = 0
                            errors += await provider.apply(plan.actions, spec: spec).compactMap(\.error)
                        }
                        return 0
                    }

                    let up = await converge()
                    #expect(up > 0, "did not converge on 5 servers")
                    #expect(try await world.liveTasks().count == 5, "exactly the 5 planned tasks exist in moto: none started twice")
                    #expect(errors.contains { $0.contains("RunTask") }, "the launch that failed for good was reported: \(errors)")
                    #expect(errors.contains { $0.contains("ListTasks") }, "the listing that failed for good was reported: \(errors)")
                    #expect(proxy.log.replayedTokens >= 1, "the retried RunTask carried the token of the one whose answer was lost")

                    spec.scaling.minServers = 2
                    let down = await converge()
                    #expect(down > 0, "did not converge on 2 servers")
                    let remaining = try await world.liveTasks()
                    #expect(remaining.count == 2)
                    #expect(remaining.allSatisfy { $0.tag(FleetLabels.standbyTag) == nil })

                    for error in errors {
                        #expect(Self.operations.contains { error.contains($0) }, "an error that names no operation: \(error)")
                    }
                    let faults = proxy.log.faults
                    for fault in FaultProxy.Fault.allCases where fault != .none && fault != .refuseLaunch {
                        #expect(faults[fault, default: 0] > 0, "no \(fault) was injected")
                    }
                    print("fault run: \(proxy.log.requests.values.reduce(0, +)) requests, faults \(faults.map { "\($0.key.rawValue) \($0.value)" }.sorted().joined(separator: ", ")); \(errors.count) errors reported; provider calls: \(provider.calls.counts)")
                }
            }, then: { await proxy.stop() })
        }
    }
}
