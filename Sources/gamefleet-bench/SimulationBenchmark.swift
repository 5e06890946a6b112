import FleetCore
import FleetSimulation
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Times `gamefleet simulate` on the shipped week trace (`SyntheticTraces.week()`, the same as
/// examples/traces/week.csv: peaks of 10,000 players in a game at once, about 1,000 servers) with one
/// planning pass per 10 simulated seconds, and prints the figures. It measures; it asserts nothing.
///
/// CPU time is printed beside wall time because the bench machine is shared: wall time there says
/// as much about the neighbours as about the simulation.
func simulationBenchmark() {
    let trace = SyntheticTraces.week()
    // Margins for a fleet of this size: the upscale margin must cover the players arriving within one
    // probe interval (about 140 at the peak), or the rush between two probes goes to the backup.
    let spec = FleetSpec(
        name: "bench", provider: .ecs,
        gameserver: GameserverSpec(capacity: 10, health: HealthSpec(interval: .seconds(10))),
        scaling: ScalingSpec(upscaleMargin: 200, downscaleMargin: 400, minServers: 1, maxServers: 2_000, maxLaunchesPerPass: 20),
        allocation: AllocationSpec(strategy: .packed, backup: HostPort(host: "10.255.0.1", port: 7000)),
        ecs: ECSSpec(region: "eu-west-1", taskDefinition: "chess:1", gamePort: 7000))
    let settings = SimulationSettings()
    print("simulate: trace week (7 days, \(grouped(trace.totalArrivals)) players), one pass per 10 s, capacity 10, margins 200..400")

    for rules in ScalingRules.allCases {
        let (run, wall, cpu) = timed(thread: true) {
            Simulation.run(spec: spec, trace: trace, settings: settings, rules: rules)
        }
        let o = run.outcome
        print("  \(rules == .gamefleet ? "gamefleet rules" : "old rules      "): \(seconds(cpu)) CPU, \(seconds(wall)) wall; "
            + "\(grouped(o.passes)) passes, peak \(grouped(run.peakPlayers)) players and \(grouped(o.peakServers)) servers, "
            + "\(grouped(Int((Double(o.arrivals) / max(cpu, 1e-9)).rounded()))) players/s CPU")
    }
    let (_, wall, cpu) = timed(thread: false) {
        Simulation.report(spec: spec, trace: trace, settings: settings)
    }
    print("  full report (both rules on two threads): \(seconds(wall)) wall, \(seconds(cpu)) CPU")
}

/// Runs `work`, returning its result, the wall time and the CPU time (of this thread, or of the
/// whole process when the work uses other threads), in seconds.
private func timed<T>(thread: Bool, _ work: () -> T) -> (T, Double, Double) {
    func cpuNow() -> Double {
        var spec = timespec()
        clock_gettime(thread ? CLOCK_THREAD_CPUTIME_ID : CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
    let clock = ContinuousClock()
    let startCPU = cpuNow()
    let start = clock.now
    let result = work()
    let elapsed = clock.now - start
    let cpu = cpuNow() - startCPU
    return (result, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, cpu)
}

private func seconds(_ value: Double) -> String {
    "\((value * 100).rounded() / 100) s"
}

private func grouped(_ value: Int) -> String {
    let digits = String(value)
    var text = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { text.append(",") }
        text.append(c)
    }
    return text
}
