import FleetCore
import FleetRuntime
import Foundation
import Logging
import Synchronization

let t0 = Date(timeIntervalSince1970: 1_800_000_000)

func localSpec(capacity: Int = 10, upscale: Int = 4, downscale: Int = 18, min: Int = 1, max: Int = 10, maxLaunches: Int = 10) -> FleetSpec {
    FleetSpec(
        name: "test", provider: .local, gameserver: GameserverSpec(capacity: capacity, health: HealthSpec(timeout: .milliseconds(200))),
        scaling: ScalingSpec(upscaleMargin: upscale, downscaleMargin: downscale, minServers: min, maxServers: max, maxLaunchesPerPass: maxLaunches),
        allocation: AllocationSpec(), local: LocalSpec(command: ["gs", "{port}"]))
}

/// An in-memory provider: servers appear on launch and vanish on stop; any action can be made to fail.
actor FakeProvider: FleetProvider {
    var fleet: [ObservedServer] = []
    var failKinds: Set<Action.Kind> = []
    var failObserve = false
    var applied: [Action] = []
    var launches = 0
    /// How many times the fleet was observed: one per pass.
    var observations = 0

    func servers(spec: FleetSpec) async throws -> [ObservedServer] {
        observations += 1
        if failObserve { throw FakeError(message: "ListTasks: ThrottlingException: Rate exceeded") }
        return fleet
    }

    func apply(_ actions: [Action], spec: FleetSpec) async -> [ActionOutcome] {
        actions.map { action in
            applied.append(action)
            if failKinds.contains(action.kind) { return ActionOutcome(action: action, error: "\(action.kind.rawValue): injected failure") }
            switch action.kind {
            case .launch:
                launches += 1
                let id = "s\(launches)"
                fleet.append(ObservedServer(id: id, address: HostPort(host: "127.0.0.1", port: 7000 + launches), taskDefinition: action.taskDefinition ?? "",
                                            launchedAt: t0))
                return ActionOutcome(action: action, launched: id)
            case .stop:
                fleet.removeAll { $0.id == action.server }
            case .standby, .activate:
                if let i = fleet.firstIndex(where: { $0.id == action.server }) { fleet[i].standby = action.kind == .standby }
            }
            return ActionOutcome(action: action)
        }
    }

    func shutdown() async {}
    func set(failKinds: Set<Action.Kind>) { self.failKinds = failKinds }
    func set(failObserve: Bool) { self.failObserve = failObserve }
}

struct FakeError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Answers probes from a table (by port); counts how many probes run at once.
final class FakeProber: HealthProber, Sendable {
    let answers: Mutex<[Int: ProbeResult]>
    let inFlight = Mutex(0)
    let maxInFlight = Mutex(0)
    let delay: Duration

    init(answers: [Int: ProbeResult] = [:], delay: Duration = .zero) {
        self.answers = Mutex(answers)
        self.delay = delay
    }

    func set(_ port: Int, _ result: ProbeResult) { answers.withLock { $0[port] = result } }

    func probe(host: String, port: Int, path: String, timeout: Duration) async -> ProbeResult {
        let now = inFlight.withLock { $0 += 1; return $0 }
        maxInFlight.withLock { $0 = max($0, now) }
        if delay > .zero { try? await Task.sleep(for: delay) }
        inFlight.withLock { $0 -= 1 }
        return answers.withLock { $0[port] } ?? .failed("connection refused")
    }
}

func quietLogger() -> Logger {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}

func makeFleetState(_ spec: FleetSpec) -> FleetState {
    FleetState(spec: spec, config: ConfigStatus(path: "fleet.yaml", hash: "h0", loadedAt: t0), metrics: FleetMetrics(), now: { t0 })
}

extension FakeProvider {
    /// Puts servers in the fleet as they were before this test's reconciler started (a restart).
    func seed(_ servers: [ObservedServer]) { fleet += servers }
}
