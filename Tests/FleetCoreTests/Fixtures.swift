import Foundation
@testable import FleetCore

/// The instant every planner test is judged at.
let now = Date(timeIntervalSince1970: 1_800_000_000)

/// The task definition the test spec wants.
let currentTask = "game:2"

/// A spec with capacity 10 and margins 4/18 unless told otherwise.
func spec(
    capacity: Int = 10, upscale: Int = 4, downscale: Int = 18, min: Int = 1, max: Int = 50,
    maxLaunches: Int = 10, failureThreshold: Int = 2, startupGrace: Duration = .seconds(120),
    strategy: AllocationStrategy = .packed, backup: HostPort? = HostPort(host: "127.0.0.1", port: 8888)
) -> FleetSpec {
    FleetSpec(
        name: "chess", provider: .ecs,
        gameserver: GameserverSpec(capacity: capacity, health: HealthSpec(failureThreshold: failureThreshold, startupGrace: startupGrace)),
        scaling: ScalingSpec(upscaleMargin: upscale, downscaleMargin: downscale, minServers: min, maxServers: max, maxLaunchesPerPass: maxLaunches),
        allocation: AllocationSpec(strategy: strategy, backup: backup),
        ecs: ECSSpec(region: "ap-south-1", taskDefinition: currentTask, gamePort: 8888))
}

/// One observed server. `free: nil` means it never answered a probe. `seenAgo` is how long ago this
/// gamefleet first saw it (by default at its launch, `age` ago); `unseen` leaves `firstSeenAt` out,
/// as in files written before the field existed.
func server(
    _ id: String, free: Int? = 10, ready: Bool? = nil, standby: Bool = false, failures: Int = 0,
    age: TimeInterval = 600, lifecycle: Lifecycle = .running, task: String = currentTask, capacity: Int = 10,
    seenAgo: TimeInterval? = nil, unseen: Bool = false, addressLookupError: String? = nil, host: HostCondition? = nil
) -> ObservedServer {
    let answered = free != nil
    var server = ObservedServer(
        id: id, address: HostPort(host: "127.0.0.\(abs(id.hashValue % 200) + 2)", port: 7000),
        taskDefinition: task, lifecycle: lifecycle, standby: standby,
        launchedAt: now.addingTimeInterval(-age),
        health: HealthRecord(
            availableCapacity: free, readyToClose: answered ? (ready ?? (free == capacity)) : nil,
            consecutiveFailures: failures, lastSuccessAt: answered ? now.addingTimeInterval(-5) : nil),
        firstSeenAt: unseen ? nil : now.addingTimeInterval(-(seenAgo ?? age)), host: host)
    if addressLookupError != nil || host != nil { server.address = nil }
    server.addressLookupError = addressLookupError
    return server
}

/// A plan's actions in a compact form: `launch`, `launch i-1` (onto a host), `stop s1`, `standby s2`, `activate s3`.
func steps(_ plan: Plan) -> [String] {
    plan.actions.map { $0.kind == .launch ? ($0.server.map { "launch \($0)" } ?? "launch") : "\($0.kind.rawValue) \($0.server ?? "?")" }
}
