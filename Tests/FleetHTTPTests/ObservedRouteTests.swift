import FleetCore
import FleetHTTP
import FleetRuntime
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /v1/observed` and `GET /v1/config`: what `gamefleet plan --observed-from` reads from outside
/// the VPC. The observed state is the one the last pass planned from, in `--observed`'s format;
/// the config is the running text as written, with its version and hash; both behind the token.
@Suite("Admin face: /v1/observed and /v1/config")
struct ObservedRouteTests {
    static func body(_ response: TestResponse) -> String { String(buffer: response.body) }

    @Test("/v1/observed answers 503 before the first pass, then the state the pass planned from (before its own actions), in --observed's format")
    func observedIsWhatThePassPlannedFrom() async throws {
        let (state, metrics) = await fleet([], published: false)
        let parked = server("b", port: 7002, free: 10)
        let planned = ObservedState(observedAt: probeTime, servers: [server("a", port: 7001, free: 3), parked])
        try await adminApp(state, metrics).test(.router) { client in
            try await client.execute(uri: "/v1/observed", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(Self.body(response).contains("first pass"), "\(Self.body(response))")
            }
            // The pass parked b: /v1/fleet's observed state shows it standby, /v1/observed as planned from.
            let summary = Planner.plan(spec: spec(), observed: planned, now: probeTime).summary
            let plan = Plan(actions: [Action(kind: .standby, server: "b", address: parked.address, code: .aboveDownscaleMargin, reason: "test")], summary: summary)
            await state.publish(observed: planned.reflecting(plan.actions), plan: plan, outcomes: [], at: probeTime, duration: .milliseconds(1),
                                plannedFrom: planned)
            try await client.execute(uri: "/v1/observed", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let decoded = try ObservedState.decode(Data(buffer: response.body))
                #expect(decoded == planned)
                #expect(decoded.servers.first { $0.id == "b" }?.standby == false)
                #expect(Self.body(response) == String(decoding: try planned.encoded(), as: UTF8.self), "byte for byte the --observed format")
            }
            #expect(await state.observed?.servers.first { $0.id == "b" }?.standby == true, "the allocator's view has the pass's actions folded in")
        }
    }

    @Test("/v1/config answers the running text as written, its source, version and hash; a reload replaces all four together")
    func configIsTheRunningText() async throws {
        let first = "name: chess\n# ${GAMEFLEET_ADMIN_TOKEN} stays a reference\n"
        let metrics = FleetMetrics()
        let state = FleetState(spec: spec(), config: ConfigStatus(path: "ssm:/gamefleet/chess/fleet.yaml", hash: contentHash(Array(first.utf8)),
                                                                  loadedAt: probeTime, source: "ssm", version: "7"),
                               metrics: metrics, configBytes: Array(first.utf8))
        struct Body: Decodable { var path: String; var source: String?; var version: String?; var hash: String; var text: String }
        try await adminApp(state, metrics).test(.router) { client in
            try await client.execute(uri: "/v1/config", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder().decode(Body.self, from: Data(buffer: response.body))
                #expect(body.path == "ssm:/gamefleet/chess/fleet.yaml" && body.source == "ssm" && body.version == "7")
                #expect(body.text == first && body.hash == contentHash(Array(first.utf8)))
            }
            let second = "name: chess\nscaling: {upscaleMargin: 5}\n"
            await state.adopt(spec(), hash: contentHash(Array(second.utf8)), version: "8", at: probeTime, bytes: Array(second.utf8))
            try await client.execute(uri: "/v1/config", method: .get) { response in
                let body = try JSONDecoder().decode(Body.self, from: Data(buffer: response.body))
                #expect(body.version == "8" && body.text == second && body.hash == contentHash(Array(second.utf8)))
            }
        }
    }

    @Test(arguments: ["/v1/observed", "/v1/config"])
    func behindTheToken(path: String) async throws {
        var withToken = spec()
        withToken.admin.token = "s3cret-token"
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)], spec: withToken)
        try await adminApp(state, metrics).test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .unauthorized, "\(path) without a token")
            }
            try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer s3cret-token"]) { response in
                #expect(response.status == .ok, "\(path) with the token: \(Self.body(response))")
            }
            try await client.execute(uri: path, method: .post) { response in
                #expect(response.status != .ok)
            }
        }
    }
}
