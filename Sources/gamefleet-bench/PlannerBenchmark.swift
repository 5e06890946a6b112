import FleetCore
import Foundation

/// Times `Planner.plan` on fleets of 100 to 100,000 servers in a realistic mix: most running with
/// some players, a few starting, in standby, unhealthy or outdated. Prints the median and best of
/// several runs per size; asserts nothing.
func plannerBenchmark() {
    print("Planner: time per plan, median of runs (best in brackets)")
    print("A steady fleet: free slots between the margins; 1% unhealthy, 3% starting, 6% standby, 5% outdated.")
    runPlannerSizes(steady: true)
    print("A fleet far off its margins: about half the servers need an action.")
    runPlannerSizes(steady: false)
}

private func runPlannerSizes(steady: Bool) {
    print("servers      median        best    actions")
    let clock = ContinuousClock()
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    for count in [100, 1_000, 10_000, 100_000] {
        let capacity = 10
        // Steady: about 1.5 free slots per server, margins at 1 and 3 per server.
        let upscale = steady ? count : 40
        let spec = FleetSpec(
            name: "bench", provider: .ecs,
            gameserver: GameserverSpec(capacity: capacity),
            scaling: ScalingSpec(upscaleMargin: upscale, downscaleMargin: steady ? 3 * count + capacity + 1 : 120,
                                 minServers: 1, maxServers: count * 2, maxLaunchesPerPass: 50),
            allocation: AllocationSpec(),
            ecs: ECSSpec(region: "ap-south-1", taskDefinition: "game:2", gamePort: 8888))
        var rng = SplitMix(seed: UInt64(count))
        let servers = (0..<count).map { i -> ObservedServer in
            let roll = rng.next() % 100
            let free = Int(rng.next() % UInt64(steady ? 4 : capacity + 1))
            var health = HealthRecord(availableCapacity: free, readyToClose: free == capacity, consecutiveFailures: 0,
                                      lastSuccessAt: now.addingTimeInterval(-3))
            var lifecycle = Lifecycle.running
            if roll < 3 { health = HealthRecord(); lifecycle = .pending }       // starting
            if roll >= 3 && roll < 4 { health.consecutiveFailures = 3 }         // unhealthy
            return ObservedServer(
                id: "arn:aws:ecs:ap-south-1:123456789012:task/bench/\(i)", address: HostPort(host: "10.0.\(i / 250).\(i % 250)", port: 8888),
                taskDefinition: roll >= 95 ? "game:1" : "game:2", lifecycle: lifecycle,
                standby: roll >= 4 && roll < 10, launchedAt: now.addingTimeInterval(-60), health: health)
        }
        let state = ObservedState(servers: servers)
        let runs = count >= 100_000 ? 7 : 21
        var times: [Duration] = []
        var actions = 0
        for _ in 0..<runs {
            let start = clock.now
            let plan = Planner.plan(spec: spec, observed: state, now: now)
            times.append(clock.now - start)
            actions = plan.actions.count
        }
        times.sort()
        print("\(String(count).padding(7))  \(format(times[times.count / 2]).padding(10))  \(("(" + format(times[0]) + ")").padding(10))  \(actions)")
    }
}

func format(_ d: Duration) -> String {
    let micros = Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12
    return micros >= 1000 ? String(format: "%.2f ms", micros / 1000) : String(format: "%.0f µs", micros)
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// A small deterministic generator so every run benchmarks the same fleet.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
