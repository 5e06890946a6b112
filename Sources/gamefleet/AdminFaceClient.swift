import AsyncHTTPClient
import FleetCore
import FleetRuntime
import Foundation
import NIOCore

/// Reads a live `gamefleet serve`'s admin face from outside the VPC (CI): the observed state of its
/// last pass (`GET /v1/observed`) and the config it runs (`GET /v1/config`), with the admin token.
///
/// Every request is bounded end to end (``timeout``, head and body), and every failure names the
/// flag and the URL at fault (`--observed-from http://…/v1/observed: HTTP 401: …`).
struct AdminFaceClient {
    /// The admin face's base URL, without a trailing `/` (e.g. `http://gamefleet-admin.internal:8001`).
    let base: String
    /// The flag the URL came from, for messages.
    let flag: String
    let token: String?
    /// The longest a request may take, from connecting to the last byte of the body.
    static let timeout: Duration = .seconds(30)
    /// The largest body read (an observation of a fleet of thousands of servers is a few MB).
    static let maxBody = 64 << 20

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `text` as given to `flag`: an http(s) URL of the admin face, optionally ending in one of its
    /// routes (`…/v1/observed`, `…/v1/fleet`), which is dropped.
    init(url text: String, flag: String, token: String?) throws(Failure) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.query == nil else {
            throw Failure(description: "\(flag) \(text): expected the admin face's URL, e.g. http://gamefleet-admin.internal:8001")
        }
        var base = text
        while base.hasSuffix("/") { base.removeLast() }
        for route in ["/v1/observed", "/v1/config", "/v1/fleet"] where base.hasSuffix(route) {
            base.removeLast(route.count)
        }
        self.base = base
        self.flag = flag
        self.token = token
    }

    /// The admin token for these requests: the first line of `tokenFile` when given, else
    /// `GAMEFLEET_ADMIN_TOKEN`, else none (a serve without `admin.token`).
    static func token(file: String?, environment: [String: String]) throws(Failure) -> String? {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw Failure(description: "--token-file \(file): cannot read the file (\(FileManager.default.fileExists(atPath: file) ? "permission denied" : "no such file"))")
            }
            let line = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first.map {
                $0.trimmingCharacters(in: .whitespacesAndNewlines)
            } ?? ""
            guard !line.isEmpty else { throw Failure(description: "--token-file \(file): the first line is empty; it should hold the admin token") }
            return line
        }
        if let value = environment["GAMEFLEET_ADMIN_TOKEN"], !value.isEmpty { return value }
        return nil
    }

    /// The observed state of the serve's last pass, exactly as it planned from it.
    func observed() async throws(Failure) -> ObservedState {
        let body = try await get("/v1/observed")
        do {
            return try ObservedState.decode(body)
        } catch let error as DecodingError {
            throw Failure(description: "\(flag) \(base)/v1/observed: not an observed state: \(PlanCommand.describe(error))")
        } catch {
            throw Failure(description: "\(flag) \(base)/v1/observed: not an observed state: \(error)")
        }
    }

    /// The config the serve runs: its source, version, hash and text as written.
    func runningConfig() async throws(Failure) -> RunningConfigBody {
        let body = try await get("/v1/config")
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(RunningConfigBody.self, from: body)
        } catch {
            throw Failure(description: "\(flag) \(base)/v1/config: not a running config (a serve older than `plan --observed-from`?): \(error)")
        }
    }

    /// One GET, bounded by ``timeout``; a status other than 200 is a failure with the answer's
    /// `error` and what to do about it.
    func get(_ route: String) async throws(Failure) -> Data {
        let url = base + route
        let token = self.token
        let outcome = await withDeadline(Self.timeout, clock: ContinuousClock()) { () async -> Result<(UInt, Data), any Error> in
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
            let result: Result<(UInt, Data), any Error>
            do {
                var request = HTTPClientRequest(url: url)
                if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
                let response = try await client.execute(request, timeout: .seconds(Int64(Self.timeout.components.seconds)))
                let body = try await response.body.collect(upTo: Self.maxBody)
                result = .success((response.status.code, Data(buffer: body)))
            } catch {
                result = .failure(error)
            }
            try? await client.shutdown()
            return result
        }
        switch outcome {
        case nil:
            throw Failure(description: "\(flag) \(url): no complete answer within \(Self.timeout)")
        case .failure(let error)?:
            throw Failure(description: "\(flag) \(url): cannot reach the admin face: \(error)")
        case .success(let (status, body))?:
            guard status == 200 else {
                let message = (try? JSONDecoder().decode(ErrorAnswer.self, from: body))?.error ?? String(decoding: body.prefix(300), as: UTF8.self)
                throw Failure(description: "\(flag) \(url): HTTP \(status): \(message)\(Self.hint(status, tokenGiven: token != nil))")
            }
            return body
        }
    }

    static func hint(_ status: UInt, tokenGiven: Bool) -> String {
        switch status {
        case 401 where !tokenGiven: return " (set GAMEFLEET_ADMIN_TOKEN or pass --token-file)"
        case 401: return " (the token from GAMEFLEET_ADMIN_TOKEN or --token-file is not the serve's admin.token)"
        case 404: return " (is this the admin face, admin.listen, of a serve with /v1/observed?)"
        default: return ""
        }
    }

    struct ErrorAnswer: Decodable {
        var error: String
    }
}

/// `GET /v1/config` as the client reads it (the admin face's ``FleetHTTP`` body).
struct RunningConfigBody: Decodable {
    var path: String
    var source: String?
    var version: String?
    var hash: String
    var text: String
}
