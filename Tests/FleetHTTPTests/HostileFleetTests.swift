import AsyncHTTPClient
import FleetCore
import FleetHTTP
import FleetRuntime
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

/// One hostile gameserver must not freeze the fleet: ten real servers on loopback, four of them
/// hostile, probed by the real HTTP prober from the real loop.
@Suite("Hostile gameservers")
struct HostileFleetTests {
    /// The verdict counts passes and reads what each answered; it never times them. A hostile server
    /// that held the loop (the drip for 200 s, the silent one for ever) would stop the passes, and
    /// the test fails at its deadline naming how many it saw. The pass durations are printed.
    @Test func passesKeepTheirCadenceAmongHostileServers() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var servers: [HostileGameserver] = []
        // 300 free slots: the allocations of the test never run the fleet out of room, even when a
        // loaded machine delays the probes that release reservations.
        let behaviours: [HealthBehaviour] = Array(repeating: .healthy(capacity: 50), count: 6) + [.drip, .silent, .huge, .closeMidHead]
        for behaviour in behaviours { servers.append(try await HostileGameserver.start(behaviour, group: group)) }
        let healthyAddresses = Set(servers.filter { if case .healthy = $0.behaviour { true } else { false } }.map { "127.0.0.1:\($0.port)" })

        // A 2 s probe timeout: long enough that a healthy loopback server answers on a loaded machine,
        // far shorter than what the drip (200 s) or the silent server (never) would hold a probe.
        let fleetSpec = FleetSpec(
            name: "hostile", provider: .local,
            gameserver: GameserverSpec(capacity: 100, health: HealthSpec(interval: .milliseconds(2500), timeout: .seconds(2))),
            scaling: ScalingSpec(upscaleMargin: 4, downscaleMargin: 1000, minServers: 1, maxServers: 20),
            allocation: AllocationSpec(), local: LocalSpec(command: ["gs", "{port}"]))
        let metrics = FleetMetrics()
        let state = FleetState(spec: fleetSpec, config: ConfigStatus(path: "fleet.yaml", hash: "h", loadedAt: Date()), metrics: metrics)
        let provider = FixedProvider(servers: servers.enumerated().map { index, server in
            ObservedServer(id: "gs\(index)", address: HostPort(host: "127.0.0.1", port: server.port), taskDefinition: fleetSpec.taskDefinition,
                           launchedAt: Date().addingTimeInterval(-3600))
        })
        let client = HTTPHealthProber.makeClient()
        let reconciler = Reconciler(provider: provider, prober: HTTPHealthProber(client: client), fleet: state, logger: quiet())
        let loop = Task { try await ReconcileService(reconciler: reconciler, fleet: state, logger: quiet()).run() }

        let wanted = 6
        let seen = NIOLockedValueBox(Seen())
        do {
            try await adminApp(state, metrics).test(.router) { admin in
            try await app(state, metrics).test(.router) { http in
                // Generous: six passes of at most ~2 s each take ~15 s; a held loop never gets there.
                let end = ContinuousClock.now + .seconds(180)
                while ContinuousClock.now < end, seen.withLockedValue({ $0.passes.count }) < wanted {
                    try await Task.sleep(for: .milliseconds(200))
                    let snapshot = await state.snapshot()
                    let newPass = seen.withLockedValue { seen in
                        guard let at = snapshot.lastPassAt, let ms = snapshot.lastPassDurationMs, seen.passes.last?.at != at else { return false }
                        seen.passes.append((at, ms))
                        return true
                    }
                    guard newPass else { continue }
                    // Right after a pass: /readyz, and an allocation from what the pass saw.
                    try await admin.execute(uri: "/readyz", method: .get) { response in
                        seen.withLockedValue { $0.readyAnswers.append(response.status.code) }
                    }
                    try await http.execute(uri: "/available-gameserver/", method: .get) { response in
                        let answer = response.status == .ok ? String(buffer: response.body) : "HTTP \(response.status.code)"
                        seen.withLockedValue { $0.allocations.append(answer) }
                    }
                }
            }
            }
        } catch {
            Issue.record("router test failed: \(error)")
        }
        loop.cancel()
        _ = try? await loop.value
        let observed = await state.observed?.servers ?? []
        // Connections still open on each server while the prober lives: a cut-off probe must let go.
        let open = servers.map { "\($0.behaviour): \($0.connections.open) open of \($0.connections.total)" }
        try? await client.shutdown()
        for server in servers { await server.stop() }
        try? await group.shutdownGracefully()

        let (passes, readyAnswers, allocations) = seen.withLockedValue { ($0.passes, $0.readyAnswers, $0.allocations) }
        let durations = passes.map(\.ms).sorted()
        func percentile(_ p: Double) -> Double { durations.isEmpty ? .nan : durations[min(durations.count - 1, Int((Double(durations.count) * p).rounded(.up)) - 1)] }
        print("hostile fleet: \(passes.count) passes; pass duration p50 \(percentile(0.5)) ms, p99 \(percentile(0.99)) ms; readyz \(readyAnswers); connections: \(open.joined(separator: "; "))")

        #expect(passes.count >= wanted, "only \(passes.count) passes in 180 s: a hostile server holds the loop")
        // A frozen loop turns readyz to 503 for good; asked right after a pass, it answers 200.
        #expect(readyAnswers.contains(200) && readyAnswers.last == 200, "readyz answered \(readyAnswers)")
        // Players go to healthy servers only: never the backup, never a hostile address. (An answer
        // of 503 would mean the healthy servers' probes failed too, which a 2 s timeout on loopback
        // does not see even on a loaded machine; it is counted, not excused.)
        let served = allocations.filter { $0.contains(#""backup":false"#) }
        #expect(served.count == allocations.count && !allocations.isEmpty, "allocations: \(allocations)")
        for answer in served {
            #expect(healthyAddresses.contains { answer.contains(#""available":"\#($0)""#) }, "\(answer) is not a healthy server")
        }
        // Every hostile server failed its probes; every healthy one answered.
        for (index, server) in servers.enumerated() {
            let health = observed.first { $0.id == "gs\(index)" }?.health
            if case .healthy = server.behaviour {
                #expect(health?.availableCapacity == 50 && health?.consecutiveFailures == 0, "gs\(index): \(String(describing: health))")
            } else {
                #expect((health?.consecutiveFailures ?? 0) >= 1, "gs\(index) (\(server.behaviour)): \(String(describing: health))")
            }
        }
    }
}

/// Lists the same servers every time and takes every action without changing anything: the fleet
/// is the test's, not the plan's.
struct FixedProvider: FleetProvider {
    let servers: [ObservedServer]

    func servers(spec: FleetSpec) async throws -> [ObservedServer] { servers }
    func apply(_ actions: [Action], spec: FleetSpec) async -> [ActionOutcome] { actions.map { ActionOutcome(action: $0) } }
    func shutdown() async {}
}

/// What the hostile test saw while the loop ran.
struct Seen: Sendable {
    var passes: [(at: Date, ms: Double)] = []
    var readyAnswers: [Int] = []
    var allocations: [String] = []
}
