import FleetCore
import FleetHTTP
import FleetRuntime
import Foundation
import FuzzSupport
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import PropertyBased
import Testing

/// Mutated requests to serve's routes: every one is answered (never a 500, never a hang) with a
/// status the endpoint documents and a body that is JSON (Prometheus text on /metrics).
@Suite("Fuzzing HTTP requests")
struct RouterFuzzTests {
    /// A request written as text: `METHOD URI`, then `Name: value` header lines, a blank line and the body.
    static let mutator = Mutator(
        seeds: [
            "GET /available-gameserver/", "GET /available-server", "GET /available-gameserver-list/", "GET /available-server-list",
            "GET /v1/fleet", "GET /healthz", "GET /readyz", "GET /metrics", "POST /available-gameserver/\nContent-Type: application/json\n\n{\"player\": 1}",
            "GET /available-gameserver/?region=eu&x=%41%zz#frag\nAccept: */*\nX-Forwarded-For: 10.0.0.1", "DELETE /v1/fleet/", "GET //v1//fleet",
        ].map { Array($0.utf8) },
        nesting: ["/", "../", "%2e%2e/", "?a=", "["],
        dictionary: ["/available-gameserver", "/v1/fleet", "/metrics", "/readyz", "?", "&", "=", "#", "%", "%00", "%ff", "\r\n",
                     "Content-Length: ", "Transfer-Encoding: chunked\n", "Host: ", "GET ", "HEAD ", "OPTIONS ", "PUT ", "\n\n"])

    struct Request: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method
        var uri: String
        var headers: HTTPFields
        var body: [UInt8]
        var description: String { "\(method) \(uri.debugDescription) \(headers) + \(body.count) bytes" }
    }

    /// Reads the request text the mutator produced; what is not a valid method or header name
    /// (which no HTTP parser would hand the router) is dropped or replaced by GET.
    static func request(_ input: FuzzInput) -> Request {
        let text = input.text
        let (head, body) = text.range(of: "\n\n").map { (String(text[..<$0.lowerBound]), Array(text[$0.upperBound...].utf8)) } ?? (text, [])
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let first = lines.isEmpty ? "" : lines.removeFirst()
        let parts = first.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let method = parts.first.flatMap { HTTPRequest.Method($0) } ?? .get
        var uri = parts.count > 1 ? parts[1] : (parts.first ?? "/")
        if uri.isEmpty { uri = "/" }
        var headers = HTTPFields()
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), let name = HTTPField.Name(String(line[..<colon])) else { continue }
            // Content-Length is set by the test client from the body; a second one would be the client's error, not ours.
            if name == .contentLength { continue }
            headers.append(HTTPField(name: name, value: String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        return Request(method: method, uri: uri, headers: headers, body: body)
    }

    static let documented: Set<Int> = [200, 400, 404, 405, 503]

    /// What came back for one request.
    struct Answer: Sendable {
        var status: Int
        var contentType: String?
        var body: [UInt8]
    }

    enum Face: String, CaseIterable, Sendable { case `public`, admin }

    /// Both faces get the same mutated requests: the public one (allocations, lists, /healthz) and
    /// the admin one (status page, /v1/fleet, /v1/history, /readyz, /metrics).
    @Test(arguments: Face.allCases)
    func noMutatedRequestCrashesHangsOrGetsAnUndocumentedAnswer(_ face: Face) async throws {
        let spec = FleetSpec(
            name: "chess", provider: .local, gameserver: GameserverSpec(capacity: 10),
            scaling: ScalingSpec(upscaleMargin: 4, downscaleMargin: 18), allocation: AllocationSpec(backup: nil),
            local: LocalSpec(command: ["gs", "{port}"]))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let metrics = FleetMetrics()
        let state = FleetState(spec: spec, config: ConfigStatus(path: "fleet.yaml", hash: "abc", loadedAt: now), metrics: metrics, now: { now })
        let observed = ObservedState(observedAt: now, servers: [
            ObservedServer(id: "a", address: HostPort(host: "127.0.0.1", port: 7001), taskDefinition: spec.taskDefinition,
                           launchedAt: now.addingTimeInterval(-60),
                           health: HealthRecord(availableCapacity: 3, readyToClose: false, lastSuccessAt: now)),
        ])
        await state.publish(observed: observed, plan: Planner.plan(spec: spec, observed: observed, now: now), outcomes: [], at: now, duration: .milliseconds(3))
        try await Self.fuzz(face == .public ? Application(router: FleetRouter.buildPublic(fleet: state, metrics: metrics)) : nil,
                            face == .admin ? Application(router: FleetRouter.buildAdmin(fleet: state, metrics: metrics)) : nil)
    }

    static func fuzz(_ publicApp: (some ApplicationProtocol)?, _ adminApp: (some ApplicationProtocol)?) async throws {
        if let publicApp { try await run(publicApp) }
        if let adminApp { try await run(adminApp) }
    }

    static func run(_ app: some ApplicationProtocol) async throws {
        try await app.test(.router) { client in
            await Fuzz.runAsync(Self.mutator, check: { input -> Answer? in
                let request = Self.request(input)
                return try? await client.execute(uri: request.uri, method: request.method, headers: request.headers,
                                                 body: request.body.isEmpty ? nil : ByteBuffer(bytes: request.body)) { response in
                    Answer(status: Int(response.status.code), contentType: response.headers[.contentType], body: Array(response.body.readableBytesView))
                }
            }) { input, answer in
                let request = Self.request(input)
                if answer.map({ !Self.documented.contains($0.status) }) ?? true {
                    print("router fuzz: \(answer.map { "status \($0.status) \(String(decoding: $0.body, as: UTF8.self))" } ?? "no answer") for \(request.description.debugDescription)")
                }
                guard let answer else {
                    Issue.record("the request failed in the test client: \(request) from \(input)")
                    return
                }
                #expect(Self.documented.contains(answer.status), "status \(answer.status) for \(request) from \(input)")
                if answer.contentType == "application/json" {
                    #expect((try? JSONSerialization.jsonObject(with: Data(answer.body))) != nil,
                            "a body that is not JSON for \(request): \(String(decoding: answer.body, as: UTF8.self))")
                } else {
                    #expect((answer.contentType?.hasPrefix("text/plain") == true || answer.contentType?.hasPrefix("text/html") == true) && request.method == .get,
                            "content type \(answer.contentType ?? "none") for \(request)")
                }
            }
        }
    }
}
