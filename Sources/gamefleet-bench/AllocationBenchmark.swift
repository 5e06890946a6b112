import FleetCore
import Foundation

/// Times one allocation on fleets of 100 to 100,000 servers (ECS-style ARNs), both strategies, with
/// no reservations and with 10% of servers holding one: the reference scan (`Allocator.choose`, what
/// each allocation cost before the index) beside the index (`AllocationIndex.allocate`), and the
/// index's build, which each published pass pays once. Prints figures; asserts nothing.
func allocationBenchmark() {
    print("Allocation: time per allocation (median of runs), allocations/s on one core")
    print("strategy  reserved  servers    scan/alloc   scan alloc/s   index/alloc  index alloc/s   index build")
    let clock = ContinuousClock()
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    for strategy in [AllocationStrategy.packed, .spread] {
        for withReservations in [false, true] {
            for count in [100, 1_000, 10_000, 100_000] {
                let capacity = 10
                let spec = FleetSpec(
                    name: "bench", provider: .ecs, gameserver: GameserverSpec(capacity: capacity),
                    scaling: ScalingSpec(upscaleMargin: 40, downscaleMargin: 120, maxServers: count * 2),
                    allocation: AllocationSpec(strategy: strategy, backup: HostPort(host: "127.0.0.1", port: 8888)),
                    ecs: ECSSpec(region: "ap-south-1", taskDefinition: "game:2", gamePort: 8888))
                var rng = SplitMix(seed: UInt64(count))
                let servers = (0..<count).map { i -> ObservedServer in
                    let free = Int(rng.next() % UInt64(capacity + 1))
                    return ObservedServer(
                        id: "arn:aws:ecs:ap-south-1:123456789012:task/bench/\(UInt64(i) &* 0x9E37_79B9 % 1_000_000_007)",
                        address: HostPort(host: "10.0.\(i / 250).\(i % 250)", port: 8888),
                        taskDefinition: rng.next() % 20 == 0 ? "game:1" : "game:2", lifecycle: .running, standby: rng.next() % 16 == 0,
                        launchedAt: now.addingTimeInterval(-600),
                        health: HealthRecord(availableCapacity: free, readyToClose: free == capacity, consecutiveFailures: 0,
                                             lastSuccessAt: now.addingTimeInterval(-3)))
                }
                var reserved: [String: Int] = [:]
                var reservedByIndex = Array(repeating: 0, count: count)
                if withReservations {
                    for i in stride(from: 0, to: count, by: 10) { reserved[servers[i].id] = 1; reservedByIndex[i] = 1 }
                }
                // The scan: repeated on the same state (each call walks the whole fleet either way).
                let scanCalls = max(20, 2_000_000 / count)
                var scanTimes: [Duration] = []
                for _ in 0..<5 {
                    let start = clock.now
                    var sink = 0
                    for _ in 0..<scanCalls {
                        if case .server(let id, _) = Allocator.choose(from: servers, spec: spec, reserved: reserved) { sink &+= id.utf8.count }
                    }
                    scanTimes.append((clock.now - start) / scanCalls)
                    blackHole(sink)
                }
                // The index: built once, then allocations until a tenth of the free slots are taken.
                var buildTimes: [Duration] = []
                var indexTimes: [Duration] = []
                for _ in 0..<5 {
                    let buildStart = clock.now
                    var index = AllocationIndex(servers: servers, spec: spec, reserved: reservedByIndex)
                    buildTimes.append(clock.now - buildStart)
                    let calls = max(100, count / 2)
                    let start = clock.now
                    var sink = 0
                    for _ in 0..<calls {
                        if let position = index.allocate().serverIndex { sink &+= position }
                    }
                    indexTimes.append((clock.now - start) / calls)
                    blackHole(sink)
                }
                let scan = median(scanTimes), indexed = median(indexTimes)
                print("\(strategy.rawValue.padding(8))  \((withReservations ? "10%" : "none").padding(8))  \(String(count).padding(7))  \(format(scan).padding(12))  \(perSecond(scan).padding(13))  \(format(indexed).padding(12))  \(perSecond(indexed).padding(13))  \(format(median(buildTimes)).padding(12))")
            }
        }
    }
}

private func median(_ times: [Duration]) -> Duration {
    times.sorted()[times.count / 2]
}

private func perSecond(_ d: Duration) -> String {
    let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    guard seconds > 0 else { return "-" }
    let rate = 1 / seconds
    return rate >= 1_000_000 ? String(format: "%.1fM", rate / 1_000_000) : String(format: "%.0f", rate)
}

@inline(never)
func blackHole(_ value: Int) {
    if value == 0x7fff_ffff_ffff { print("") }
}
