import FleetCore
import FleetHTTP
import FleetRuntime
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

let probeTime = Date(timeIntervalSince1970: 1_800_000_000)

func spec(strategy: AllocationStrategy = .packed, backup: HostPort? = HostPort(host: "127.0.0.1", port: 8888)) -> FleetSpec {
    FleetSpec(
        name: "chess", provider: .local, gameserver: GameserverSpec(capacity: 10),
        scaling: ScalingSpec(upscaleMargin: 4, downscaleMargin: 18), allocation: AllocationSpec(strategy: strategy, backup: backup),
        local: LocalSpec(command: ["gs", "{port}"]))
}

func server(_ id: String, port: Int, free: Int, standby: Bool = false, failures: Int = 0, answered: Bool = true) -> ObservedServer {
    ObservedServer(
        id: id, address: HostPort(host: "127.0.0.1", port: port), taskDefinition: spec().taskDefinition, lifecycle: .running,
        standby: standby, launchedAt: probeTime.addingTimeInterval(-60),
        health: answered
            ? HealthRecord(availableCapacity: free, readyToClose: free == 10, consecutiveFailures: failures, lastSuccessAt: probeTime)
            : HealthRecord())
}

/// A fleet state that has seen one pass with these servers.
/// With `term`, the pass was a leader's first of that leadership (`ha`: its books are open).
func fleet(_ servers: [ObservedServer], spec: FleetSpec = spec(), published: Bool = true, term: Int? = nil) async -> (FleetState, FleetMetrics) {
    let metrics = FleetMetrics()
    let state = FleetState(spec: spec, config: ConfigStatus(path: "fleet.yaml", hash: "abc", loadedAt: probeTime), metrics: metrics,
                           now: { probeTime.addingTimeInterval(1) })
    if published {
        let observed = ObservedState(observedAt: probeTime, servers: servers)
        await state.publish(observed: observed, plan: Planner.plan(spec: spec, observed: observed, now: probeTime), outcomes: [],
                            at: probeTime, duration: .milliseconds(3), term: term)
    }
    return (state, metrics)
}

/// The public face (allocations, lists, /healthz).
func app(_ state: FleetState, _ metrics: FleetMetrics) -> some ApplicationProtocol {
    Application(router: FleetRouter.buildPublic(fleet: state, metrics: metrics))
}

/// The admin face (status page, /v1/fleet, /v1/history, /readyz, /metrics).
func adminApp(_ state: FleetState, _ metrics: FleetMetrics) -> some ApplicationProtocol {
    Application(router: FleetRouter.buildAdmin(fleet: state, metrics: metrics))
}

@Suite("HTTP endpoint")
struct RouterTests {
    @Test(arguments: ["/available-gameserver/", "/available-server/", "/available-gameserver", "/available-server"])
    func allocationKeepsTheOldAppsShape(path: String) async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3), server("b", port: 7002, free: 6)])
        try await app(state, metrics).test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                // packed: the fullest server that still has room.
                #expect(String(buffer: response.body) == #"{"available":"127.0.0.1:7001","backup":false,"server_id":"a"}"#)
            }
        }
    }

    @Test func anAllocationForAnOddServerIDIsStillValidJSON() async throws {
        let (state, metrics) = await fleet([server("task/\"quoted\"\\back\nline", port: 7001, free: 3)])
        try await app(state, metrics).test(.router) { client in
            try await client.execute(uri: "/available-gameserver/", method: .get) { response in
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(json["server_id"] as? String == "task/\"quoted\"\\back\nline")
                #expect(json["available"] as? String == "127.0.0.1:7001")
            }
        }
    }

    @Test(arguments: ["/available-gameserver-list/", "/available-server-list/"])
    func theServerListKeepsTheOldAppsShape(path: String) async throws {
        let (state, metrics) = await fleet([
            server("a", port: 7001, free: 3), server("b", port: 7002, free: 0), server("c", port: 7003, free: 9, standby: true),
            server("d", port: 7004, free: 9, failures: 1), server("e", port: 7005, free: 0, answered: false),
        ])
        try await app(state, metrics).test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"server_list":["127.0.0.1:7001","127.0.0.1:7002"]}"#)
            }
        }
    }

    @Test func aFullFleetAnswersTheBackup() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 0), server("c", port: 7003, free: 9, standby: true)])
        try await app(state, metrics).test(.router) { client in
            try await client.execute(uri: "/available-gameserver/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"available":"127.0.0.1:8888","backup":true}"#)
            }
        }
    }

    @Test func aFullFleetWithoutBackupAnswers503() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 0)], spec: spec(backup: nil))
        try await app(state, metrics).test(.router) { client in
            try await client.execute(uri: "/available-gameserver/", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == #"{"error":"no gameserver has room and no backup server is configured (allocation.backup)","status":503}"#)
            }
        }
    }

    @Test func unknownPathsAre404WithJSON() async throws {
        let (state, metrics) = await fleet([])
        try await app(state, metrics).test(.router) { client in
            try await client.execute(uri: "/admin/../etc/passwd", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/json")
                #expect(String(buffer: response.body).contains(#""status":404"#))
            }
        }
    }

    @Test(arguments: [HTTPRequest.Method.post, .put, .delete, .patch])
    func wrongMethodsAre405WithJSON(method: HTTPRequest.Method) async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 5)])
        try await app(state, metrics).test(.router) { client in
            try await client.execute(uri: "/available-gameserver/", method: method, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
                #expect(String(buffer: response.body) == #"{"error":"\#(method.rawValue) is not allowed on /available-gameserver/; use GET","status":405}"#)
            }
        }
        // Nothing a client sends changes the fleet: no slot was taken.
        #expect(await state.snapshot().reservedSlots.isEmpty)
    }

    @Test func readyOnlyAfterTheFirstPass() async throws {
        let (state, metrics) = await fleet([], published: false)
        try await app(state, metrics).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
        try await adminApp(state, metrics).test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
            await state.publish(observed: ObservedState(servers: []), plan: Planner.plan(spec: spec(), observed: ObservedState(servers: []), now: probeTime),
                                outcomes: [], at: probeTime, duration: .milliseconds(1))
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func fleetStatusHasTheObservedStateThePlanAndTheConfig() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 1)])
        await state.refuse(errors: ["fleet.yaml:4:13: gameserver.capacity: expected a whole number, got 'ten'"], at: probeTime)
        try await adminApp(state, metrics).test(.router) { client in
            try await client.execute(uri: "/v1/fleet", method: .get) { response in
                #expect(response.status == .ok)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(json["fleet"] as? String == "chess")
                #expect(json["ready"] as? Bool == true)
                let observed = try #require(json["observed"] as? [String: Any])
                #expect((observed["servers"] as? [Any])?.count == 1)
                let plan = try #require(json["lastPlan"] as? [String: Any])
                #expect((plan["actions"] as? [[String: Any]])?.first?["kind"] as? String == "launch")
                let config = try #require(json["config"] as? [String: Any])
                #expect(config["hash"] as? String == "abc")
                #expect(config["lastReloadErrors"] as? [String] == ["fleet.yaml:4:13: gameserver.capacity: expected a whole number, got 'ten'"])
            }
        }
    }

    @Test func metricsCountAllocationsByResult() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 1)], spec: spec(backup: nil))
        try await app(state, metrics).test(.router) { client in
            for _ in 0..<3 { try await client.execute(uri: "/available-gameserver/", method: .get) { _ in } }
        }
        try await adminApp(state, metrics).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(text.contains(#"gamefleet_allocations_total{result="server",source="own"} 1"#))
                #expect(text.contains(#"gamefleet_allocations_total{result="none",source="own"} 2"#))
                #expect(text.contains(#"gamefleet_allocations_total{result="server",source="lent"} 0"#))
                #expect(text.contains("gamefleet_allocation_duration_seconds_count 3"))
            }
        }
    }

    @Test(arguments: [AllocationStrategy.packed, .spread])
    func aBurstBetweenProbesIsSpreadAndNeverOverfillsAServer(strategy: AllocationStrategy) async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3), server("b", port: 7002, free: 5), server("c", port: 7003, free: 10)],
                                           spec: spec(strategy: strategy))
        let answers = try await app(state, metrics).test(.router) { client in
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await client.execute(uri: "/available-gameserver/", method: .get) { String(buffer: $0.body) }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        func count(_ port: Int) -> Int { answers.filter { $0.contains("127.0.0.1:\(port)\"") && $0.contains("\"backup\":false") }.count }
        #expect(count(7001) == 3)
        #expect(count(7002) == 5)
        #expect(count(7003) == 10)
        #expect(answers.filter { $0.contains("\"backup\":true") }.count == 2)
    }

    @Test func aNewerProbeReplacesTheReservations() async throws {
        let (state, _) = await fleet([server("a", port: 7001, free: 2)])
        _ = await state.allocate()
        _ = await state.allocate()
        #expect(await state.allocate() == .backup(HostPort(host: "127.0.0.1", port: 8888)))
        // The next probe (after those allocations) reports the truth: 1 player joined, 1 never came.
        var later = server("a", port: 7001, free: 1)
        later.health.lastSuccessAt = probeTime.addingTimeInterval(5)
        await state.publish(observed: ObservedState(servers: [later]), plan: Planner.plan(spec: spec(), observed: ObservedState(servers: [later]), now: probeTime),
                            outcomes: [], at: probeTime.addingTimeInterval(5), duration: .milliseconds(1))
        #expect(await state.allocate() == .server(id: "a", address: HostPort(host: "127.0.0.1", port: 7001)))
    }
}
