import FleetCore
import Timestamps
import FleetRuntime
import Foundation
import Hummingbird
import HTTPTypes

/// The two faces' routes, each built by one function that the service and the tests both call.
///
/// The public face (`listen`), for game clients, and nothing else:
/// - `GET /available-gameserver/` (and `/available-server/`): `{"available": "ip:port"}` plus
///   `server_id` and `backup`, exactly the old app's shape with fields added beside it; the backup
///   server when nothing has room; 503 with a JSON error when there is no backup either; 429 with
///   `Retry-After` when the client is over `allocation.rateLimit` (and then no slot is reserved).
/// - `GET /available-gameserver-list/` (and `/available-server-list/`): `{"server_list": [...]}`.
/// - `GET /healthz`.
///
/// The admin face (`admin.listen`), for operators; every route but `/readyz` asks for
/// `admin.token` when one is set:
/// - `GET /`: the status page; `GET /v1/fleet`: the whole observed state, the last plan, the config
///   status; `GET /v1/history[?since=ISO8601]`: the last hour of pass summaries; `GET /v1/observed`:
///   the observed state the last pass planned from, in `gamefleet plan --observed`'s format (503
///   before the first pass); `GET /v1/config`: the running fleet.yaml as written, with its source,
///   version and hash (what `plan --observed-from --output markdown` compares a proposal with);
/// - `GET /readyz` (503 until the first pass ran, and when the loop has not ended a pass within
///   3 × interval + timeout, with the reason in the body); `GET /metrics` (Prometheus).
///
/// On both: anything else is 404, or 405 for a known path with another method; both with JSON bodies.
public enum FleetRouter {
    /// Paths of the public face, for telling 405 from 404.
    static let publicPaths: Set<String> = [
        "/available-gameserver", "/available-server", "/available-gameserver-list", "/available-server-list", "/healthz",
    ]
    /// Paths of the admin face.
    static let adminPaths: Set<String> = ["/", "/v1/fleet", "/v1/observed", "/v1/config", "/v1/history", "/readyz", "/metrics"]

    /// The public face. `limiter` keeps the per-client buckets; `now` reads a monotonic clock in seconds.
    /// With `replica` (a replica of a fleet with `ha`), the leader answers from its books and a
    /// follower from the slots the leader lent it, forwarding only once they run out (see
    /// ``ReplicaAllocator``).
    public static func buildPublic(
        fleet: FleetState, metrics: FleetMetrics, limiter: AllocationRateLimiter = AllocationRateLimiter(),
        now: @escaping @Sendable () -> Double = { monotonicSeconds() }, replica: ReplicaAllocator? = nil
    ) -> Router<PublicRequestContext> {
        let router = Router(context: PublicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware<PublicRequestContext>(knownPaths: publicPaths))
        let settings = fleet.allocationSettings

        let allocate: @Sendable (Request, PublicRequestContext) async throws -> Response = { request, context in
            let allocation = settings.value
            if let rate = allocation.rateLimit {
                let client = ClientAddress.resolve(
                    peer: context.peerAddress, forwardedFor: request.headers[values: forwardedFor], trusted: allocation.trustedProxies)
                if let wait = limiter.admit(client: client, now: now(), rate: rate) {
                    metrics.recordRateLimited()
                    let seconds = max(1, Int(wait.rounded(.up)))
                    var response = json(.tooManyRequests, ErrorBody(
                        error: "too many allocation requests from \(client): allocation.rateLimit allows \(rate.burst) at once and \(Int(rate.perSecond)) a second; retry after \(seconds)s",
                        status: 429))
                    response.headers[.retryAfter] = String(seconds)
                    return response
                }
            }
            if let replica {
                switch await replica.allocate() {
                case .allocation(let allocation):
                    return answer(allocation)
                case .relayed(let status, let body):
                    return Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
                }
            }
            return await allocateHere(fleet)
        }
        let list: @Sendable (Request, PublicRequestContext) async throws -> Response = { _, _ in
            json(.ok, ServerListBody(server_list: await fleet.serverList().map(\.description)))
        }
        router.get("/available-gameserver/", use: allocate)
        router.get("/available-server/", use: allocate)
        router.get("/available-gameserver-list/", use: list)
        router.get("/available-server-list/", use: list)
        router.get("/healthz") { _, _ in
            json(.ok, StatusBody(status: "ok"))
        }
        return router
    }

    /// One allocation from this replica's own books. The hot path: the body is written directly
    /// rather than through JSONEncoder.
    static func allocateHere(_ fleet: FleetState) async -> Response {
        answer(await fleet.allocate())
    }

    /// The public answer for `allocation`, its body written directly rather than through JSONEncoder.
    static func answer(_ allocation: Allocation) -> Response {
        switch allocation {
        case .server(let id, let address):
            return rawJSON(.ok, #"{"available":"# + jsonString(address.description) + #","backup":false,"server_id":"# + jsonString(id) + "}")
        case .backup(let address):
            return rawJSON(.ok, #"{"available":"# + jsonString(address.description) + #","backup":true}"#)
        case .none:
            return json(.serviceUnavailable, ErrorBody(error: "no gameserver has room and no backup server is configured (allocation.backup)", status: 503))
        }
    }

    /// The admin face. With `leadership` (a replica of a fleet with `ha`), `/v1/fleet` carries the
    /// `ha` object (and `borrowed`, a follower's `loans`), `POST /v1/loans` lends followers slots
    /// and `POST /v1/allocate` answers their forwarded allocations, both while this replica leads
    /// (409 otherwise: the follower answers from what it holds, then as a full fleet).
    public static func buildAdmin(fleet: FleetState, metrics: FleetMetrics, leadership: (any LeadershipGate)? = nil,
                                  loans: FollowerLoans? = nil, newAccountID: @escaping @Sendable () -> String = { String(UInt64.random(in: 1...UInt64.max), radix: 36) }
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware<BasicRequestContext>(knownPaths: leadership == nil ? adminPaths : adminPaths.union(["/v1/allocate", "/v1/loans"])))
        router.add(middleware: AdminAuthMiddleware(token: fleet.adminToken))

        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: StatusPage.html)))
        }
        router.get("/v1/fleet") { _, _ in
            // Values fleet.yaml took from ${VAR} may be secrets: the body shows their references.
            var snapshot = await fleet.snapshot()
            if let leadership {
                let status = await leadership.status()
                snapshot.role = status.text
                snapshot.ha = HASnapshot(status)
                snapshot.ha?.config = await fleet.configAgreement(leading: leadership.leadingTerm() != nil)
                if leadership.leadingTerm() == nil { snapshot.borrowed = loans?.snapshot() }
            }
            return json(.ok, snapshot, masking: await fleet.spec.secrets)
        }
        if let leadership {
            router.post("/v1/allocate") { _, _ in
                guard let term = leadership.leadingTerm() else {
                    return json(.conflict, ErrorBody(error: "this replica does not lead; answer from your lent slots, then as a full fleet", status: 409))
                }
                return answer(await fleet.allocate(leading: term))
            }
            router.post("/v1/loans") { request, _ in
                let bytes = try await request.body.collect(upTo: maxLoanReportBytes)
                guard let report = try? JSONDecoder().decode(LoanReport.self, from: Data(bytes.readableBytesView)) else {
                    return json(.badRequest, ErrorBody(error: "expected a loan report (JSON: follower, account, used, returned, answered, forwarded)", status: 400))
                }
                guard let term = leadership.leadingTerm(), let duration = await fleet.spec.ha?.loanDuration,
                      let grant = await fleet.lend(report, term: term, duration: duration, newAccountID: newAccountID()) else {
                    return json(.conflict, ErrorBody(error: "this replica does not lend: it does not lead, or its first pass as leader has not published yet", status: 409))
                }
                return json(.ok, grant)
            }
        }
        router.get("/v1/observed") { _, _ in
            guard let observed = await fleet.plannedFrom else {
                return json(.serviceUnavailable, ErrorBody(error: "no pass has observed the fleet yet; ask again after the first pass (GET /readyz)", status: 503))
            }
            return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: try observed.encoded())))
        }
        router.get("/v1/config") { _, _ in
            let (status, bytes) = await fleet.runningConfig()
            let body = RunningConfigBody(path: status.path, source: status.source, version: status.version, hash: status.hash,
                                         loadedAt: status.loadedAt, text: String(decoding: bytes, as: UTF8.self))
            return json(.ok, body, masking: await fleet.spec.secrets)
        }
        router.get("/v1/history") { request, _ in
            var since: Date?
            if let text = request.uri.queryParameters["since"] {
                guard let parsed = RFC3339Time.date(from: String(text)) else {
                    return json(.badRequest, ErrorBody(error: "since: expected an ISO 8601 time such as 2026-11-26T10:00:00Z, got '\(text)'", status: 400))
                }
                since = parsed
            }
            return json(.ok, HistoryBody(passes: await fleet.passHistory(since: since)), masking: await fleet.spec.secrets)
        }
        router.get("/readyz") { _, _ in
            let readiness = await fleet.readiness()
            return json(readiness.ready ? .ok : .serviceUnavailable, StatusBody(status: readiness.status, reason: readiness.reason))
        }
        router.get("/metrics") { _, _ in
            if let leadership {
                // Drift depends on how long ago each replica was heard from: judged at the scrape.
                metrics.recordConfigDrift(await fleet.configAgreement(leading: leadership.leadingTerm() != nil)?.drift ?? false)
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
        }
        return router
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    /// The largest loan report read (a report names each server a follower used or gave back once).
    static let maxLoanReportBytes = 4 << 20

    /// Seconds on the monotonic clock (what the rate limiter measures with).
    public static func monotonicSeconds() -> Double {
        let now = ContinuousClock.now.duration(to: clockOrigin)
        return -now.seconds
    }
    static let clockOrigin = ContinuousClock.now

    /// A JSON response with sorted keys and ISO 8601 dates; `masking`'s values are replaced by their
    /// `${VAR}` references, in plain and in JSON-escaped form.
    static func json(_ status: HTTPResponse.Status, _ value: some Encodable, masking secrets: SecretValues = SecretValues()) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var data = (try? encoder.encode(value)) ?? Data(#"{"error":"response could not be encoded"}"#.utf8)
        if !secrets.isEmpty {
            var escaped = SecretValues()
            for entry in secrets.entries {
                escaped.add(variable: entry.variable, value: entry.value)
                let literal = jsonString(entry.value).dropFirst().dropLast()
                escaped.add(variable: entry.variable, value: String(literal))
            }
            data = Data(escaped.redact(String(decoding: data, as: UTF8.self)).utf8)
        }
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func rawJSON(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A JSON string literal for `text`, quotes included.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `/x/` and `/x` name the same resource.
    static func normalize(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }
}

/// The old app's allocation answer, with fields added beside its one.
struct AllocationBody: Encodable {
    var available: String
    var server_id: String?
    var backup: Bool
}

struct ServerListBody: Encodable {
    var server_list: [String]
}

struct StatusBody: Encodable {
    var status: String
    /// Why the service is not ready; left out when it is.
    var reason: String? = nil
}

struct ErrorBody: Encodable {
    var error: String
    var status: Int
}

/// `GET /v1/config`: the running config as its source gave it (`${VAR}` references as written;
/// a value that came from one is masked should it appear) and which version that is.
struct RunningConfigBody: Encodable {
    /// The source as `--config` names it.
    var path: String
    /// `file`, `ssm` or `s3`.
    var source: String?
    /// The source's version (a parameter's number, an object's entity tag); absent for a file.
    var version: String?
    /// FNV-1a of the bytes, as `/v1/fleet`'s `config.hash`.
    var hash: String
    var loadedAt: Date
    /// fleet.yaml's text.
    var text: String
}

/// `GET /v1/history`: pass summaries, oldest first.
struct HistoryBody: Encodable {
    var passes: [PassSummary]
}

/// Turns the router's plain 404 (and any other error) into a JSON body, and a 404 on a known path
/// with the wrong method into a 405 with `Allow: GET`.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let knownPaths: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let path = FleetRouter.normalize(request.uri.path)
            if error.status == .notFound && knownPaths.contains(path) && request.method != .get {
                var response = FleetRouter.json(.methodNotAllowed, ErrorBody(error: "\(request.method.rawValue) is not allowed on \(request.uri.path); use GET", status: 405))
                response.headers[.allow] = "GET"
                return response
            }
            if error.status == .notFound {
                return FleetRouter.json(.notFound, ErrorBody(error: "no such endpoint: \(request.method.rawValue) \(request.uri.path)", status: 404))
            }
            return FleetRouter.json(error.status, ErrorBody(error: error.body ?? error.status.reasonPhrase, status: error.status.code))
        } catch {
            return FleetRouter.json(.internalServerError, ErrorBody(error: "internal error", status: 500))
        }
    }
}

/// Asks for the admin token on every route but `/readyz` (which load balancers and orchestrators
/// poll without credentials, and which says nothing of the fleet beyond ready or not).
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let token: SharedValue<String?>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let expected = token.value.flatMap(AdminToken.init), FleetRouter.normalize(request.uri.path) != "/readyz" else {
            return try await next(request, context)
        }
        guard expected.admits(authorization: request.headers[.authorization]) else {
            let given = request.headers[.authorization] == nil ? "no Authorization header" : "a wrong token"
            var response = FleetRouter.json(.unauthorized, ErrorBody(
                error: "the admin face needs admin.token: send Authorization: Bearer <token> (got \(given))", status: 401))
            // Basic makes a browser ask for the token (as the password); scripts send Bearer.
            response.headers[.wwwAuthenticate] = #"Basic realm="gamefleet admin", charset="UTF-8""#
            return response
        }
        return try await next(request, context)
    }
}
