import FleetCore
import Foundation
@testable import FleetSimulation

/// A chess fleet on ECS: capacity 10, margins 10/40 unless told otherwise, probes every 10 s.
func chessSpec(
    capacity: Int = 10, upscale: Int = 10, downscale: Int = 40, minServers: Int = 1, maxServers: Int = 500,
    maxLaunches: Int = 10, interval: Duration = .seconds(10), startupGrace: Duration = .seconds(300),
    strategy: AllocationStrategy = .packed, backup: HostPort? = HostPort(host: "10.9.9.9", port: 7000)
) -> FleetSpec {
    FleetSpec(
        name: "chess", provider: .ecs,
        gameserver: GameserverSpec(capacity: capacity, health: HealthSpec(interval: interval, startupGrace: startupGrace)),
        scaling: ScalingSpec(upscaleMargin: upscale, downscaleMargin: downscale, minServers: minServers,
                             maxServers: maxServers, maxLaunchesPerPass: maxLaunches),
        allocation: AllocationSpec(strategy: strategy, backup: backup),
        ecs: ECSSpec(region: "ap-south-1", taskDefinition: "chess:1", gamePort: 7000))
}

/// The same arrivals every minute.
func flatTrace(perMinute: Int, minutes: Int, meanMinutes: Double = 10, spreadMinutes: Double = 3) -> Trace {
    Trace(name: "flat", arrivals: Array(repeating: perMinute, count: minutes),
          session: SessionLength(meanSeconds: meanMinutes * 60, spreadSeconds: spreadMinutes * 60))
}

/// A small tournament: `baseline` arrivals a minute, and `entrants` all arriving in minute `start`.
func smallTournament(baseline: Int = 10, entrants: Int = 600, start: Int = 30, minutes: Int = 75) -> Trace {
    var arrivals = Array(repeating: baseline, count: minutes)
    arrivals[start] += entrants
    return Trace(name: "small-tournament", arrivals: arrivals, session: SessionLength(meanSeconds: 600, spreadSeconds: 180))
}

/// Settings for tests: allocations checked against the direct allocator call, a short warm-up.
func testSettings(
    seed: UInt64 = 7, startupDelay: Duration = .seconds(60), jitter: Duration = .seconds(20),
    failuresPerHour: Double = 0.001, warmUp: Duration = .seconds(1800), buckets: Int = 60
) -> SimulationSettings {
    SimulationSettings(
        seed: seed, startupDelay: startupDelay, startupJitter: jitter, failuresPerServerHour: failuresPerHour,
        warmUp: warmUp, timelineBuckets: buckets, verifyAllocations: true)
}

/// Where the repository's files are, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
