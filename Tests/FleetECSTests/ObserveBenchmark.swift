import AWSClient
import FleetCore
import FleetECS
import Foundation
import Testing

/// A measurement, not a speed test: N tasks in moto, observed through the fault proxy paging by
/// 100 as ECS does (moto answers ListTasks in one page), twice. It prints the time of each
/// observation and the AWS calls of the steady one, on the wire; it asserts only the call counts:
/// a steady pass over N tasks costs ⌈N/100⌉ ListTasks pages and ⌈N/100⌉ DescribeTasks, the bound
/// 2⌈N/100⌉, and nothing else.
@Suite("Observe benchmark", .serialized)
struct ObserveBenchmark {
    @Test("A steady pass over N tasks costs 2⌈N/100⌉ AWS calls: ⌈N/100⌉ ListTasks pages and ⌈N/100⌉ DescribeTasks", arguments: [100, 1000, 5000])
    func steadyPass(tasks: Int) async throws {
        // Host networking and no host port reservation, so one instance holds hundreds of tasks.
        try await MotoWorld.with(instances: 10, family: "bench", networkMode: "host", memory: 7, staticHostPort: false) { world in
            let proxy = try await FaultProxy.start(upstream: world.url, schedule: { _, _ in .none })
            try await cleaningUp({
                proxy.setPageSize(100)
                let spec = world.spec(name: "bench", endpoint: proxy.url, maxServers: tasks, taskDefinition: "bench")
                try await world.withProvider(spec, settings: .init(concurrency: 4)) { provider in
                    let clock = ContinuousClock()
                    let launches = (0..<tasks).map { _ in Action.launch("bench", code: .belowUpscaleMargin, reason: "benchmark") }
                    let launchStart = clock.now
                    let outcomes = await provider.apply(launches, spec: spec)
                    let launchTime = launchStart.duration(to: clock.now)
                    #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error).prefix(3))")
                    #expect(provider.calls.counts["RunTask"] == (tasks + 9) / 10)

                    provider.calls.reset()
                    let firstStart = clock.now
                    let first = try await provider.servers(spec: spec)
                    let firstTime = firstStart.duration(to: clock.now)
                    let firstCalls = provider.calls.counts
                    #expect(first.count == tasks)
                    #expect(first.allSatisfy { $0.address?.host.hasPrefix("127.0.0.") == true })

                    provider.calls.reset()
                    let wireBefore = proxy.log.requests
                    let steadyStart = clock.now
                    let steady = try await provider.servers(spec: spec)
                    let steadyTime = steadyStart.duration(to: clock.now)
                    let steadyCalls = provider.calls.counts
                    let wire = proxy.log.requests.merging(wireBefore) { $0 - $1 }.filter { $0.value > 0 }
                    #expect(steady == first)
                    let pages = (tasks + 99) / 100
                    #expect(wire == ["ListTasks": pages, "DescribeTasks": pages], "\(wire)")
                    #expect(steadyCalls.calls == wire)

                    print("""
                        observe benchmark (moto through the proxy paging by 100, \(tasks) tasks on 10 instances):
                          launch \(tasks) (\(outcomes.count / 10) RunTask): \(launchTime)
                          first observe: \(firstTime), calls: \(firstCalls)
                          steady observe: \(steadyTime), AWS calls \(wire.values.reduce(0, +)) (bound 2⌈N/100⌉ = \(2 * pages)): \(steadyCalls)
                          paced to ECS's documented buckets, seconds in all: \(provider.pacer?.pacedSeconds.mapValues { (($0 * 10).rounded() / 10) } ?? [:])
                        """)
                }
            }, then: { await proxy.stop() })
        }
    }
}
