import FleetCore
import FleetRuntime
import Foundation
import Hummingbird

/// The HTTP endpoint's routes, built by one function that the service and the tests both call.
///
/// - `GET /available-gameserver/` (and `/available-server/`): `{"available": "ip:port"}` plus
///   `server_id` and `backup`, exactly the old app's shape with fields added beside it; the backup
///   server when nothing has room; 503 with a JSON error when there is no backup either.
/// - `GET /available-gameserver-list/` (and `/available-server-list/`): `{"server_list": [...]}`.
/// - `GET /v1/fleet`: the whole observed state, the last plan, the config status.
/// - `GET /healthz`, `GET /readyz` (503 until the first pass ran, and when the loop has not ended a
///   pass within 3 × interval + timeout, with the reason in the body), `GET /metrics` (Prometheus).
/// - Anything else: 404, or 405 for a known path with another method; both with JSON bodies.
public enum FleetRouter {
    /// Paths that exist, for telling 405 from 404.
    static let knownPaths: Set<String> = [
        "/available-gameserver", "/available-server", "/available-gameserver-list", "/available-server-list",
        "/v1/fleet", "/healthz", "/readyz", "/metrics",
    ]

    public static func build(fleet: FleetState, metrics: FleetMetrics) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware())

        let allocate: @Sendable (Request, BasicRequestContext) async throws -> Response = { _, _ in
            // The hot path: the body is written directly rather than through JSONEncoder.
            switch await fleet.allocate() {
            case .server(let id, let address):
                return rawJSON(.ok, #"{"available":"# + jsonString(address.description) + #","backup":false,"server_id":"# + jsonString(id) + "}")
            case .backup(let address):
                return rawJSON(.ok, #"{"available":"# + jsonString(address.description) + #","backup":true}"#)
            case .none:
                return json(.serviceUnavailable, ErrorBody(error: "no gameserver has room and no backup server is configured (allocation.backup)", status: 503))
            }
        }
        let list: @Sendable (Request, BasicRequestContext) async throws -> Response = { _, _ in
            json(.ok, ServerListBody(server_list: await fleet.serverList().map(\.description)))
        }
        router.get("/available-gameserver/", use: allocate)
        router.get("/available-server/", use: allocate)
        router.get("/available-gameserver-list/", use: list)
        router.get("/available-server-list/", use: list)

        router.get("/v1/fleet") { _, _ in
            // Values fleet.yaml took from ${VAR} may be secrets: the body shows their references.
            json(.ok, await fleet.snapshot(), masking: await fleet.spec.secrets)
        }
        router.get("/healthz") { _, _ in
            json(.ok, StatusBody(status: "ok"))
        }
        router.get("/readyz") { _, _ in
            let readiness = await fleet.readiness()
            return json(readiness.ready ? .ok : .serviceUnavailable, StatusBody(status: readiness.status, reason: readiness.reason))
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
        }
        return router
    }

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

/// Turns the router's plain 404 (and any other error) into a JSON body, and a 404 on a known path
/// with the wrong method into a 405 with `Allow: GET`.
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let path = FleetRouter.normalize(request.uri.path)
            if error.status == .notFound && FleetRouter.knownPaths.contains(path) && request.method != .get {
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
