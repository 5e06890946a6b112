import AWSClient
import FleetCore
import FleetECS
import Foundation
import Testing

/// A measurement, not a speed test: 1,000 tasks in moto, observed twice. It prints the time of
/// each observation and the calls of the steady one; it asserts only the call counts.
@Suite("Observe benchmark", .serialized)
struct ObserveBenchmark {
    @Test("1,000 tasks: the steady pass costs ListTasks pages and 10 DescribeTasks, nothing else")
    func thousandTasks() async throws {
        // Host networking and no host port reservation, so one instance holds hundreds of tasks.
        try await MotoWorld.with(instances: 2, family: "bench", networkMode: "host", memory: 7, staticHostPort: false) { world in
            let spec = world.spec(name: "bench", maxServers: 1000, taskDefinition: "bench")
            try await world.withProvider(spec, settings: .init(concurrency: 4)) { provider in
                let clock = ContinuousClock()
                let launches = (0..<1000).map { _ in Action.launch("bench", code: .belowUpscaleMargin, reason: "benchmark") }
                let launchStart = clock.now
                let outcomes = await provider.apply(launches, spec: spec)
                let launchTime = launchStart.duration(to: clock.now)
                #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error).prefix(3))")
                #expect(provider.calls.counts["RunTask"] == 100)

                provider.calls.reset()
                let firstStart = clock.now
                let first = try await provider.servers(spec: spec)
                let firstTime = firstStart.duration(to: clock.now)
                let firstCalls = provider.calls.counts
                #expect(first.count == 1000)
                #expect(first.allSatisfy { $0.address?.host.hasPrefix("127.0.0.") == true })

                provider.calls.reset()
                let steadyStart = clock.now
                let steady = try await provider.servers(spec: spec)
                let steadyTime = steadyStart.duration(to: clock.now)
                let steadyCalls = provider.calls.counts
                #expect(steady == first)
                // moto answers ListTasks in one page; ECS would take 10 pages of 100.
                #expect(steadyCalls.calls == ["ListTasks": 1, "DescribeTasks": 10])

                print("""
                    observe benchmark (moto, 1000 tasks on 2 instances):
                      launch 1000 (100 RunTask): \(launchTime)
                      first observe: \(firstTime), calls: \(firstCalls)
                      steady observe: \(steadyTime), calls: \(steadyCalls)
                    """)
            }
        }
    }
}
