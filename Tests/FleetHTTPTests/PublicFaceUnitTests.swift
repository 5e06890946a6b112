import FleetCore
import FleetHTTP
import FleetRuntime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Admin token")
struct AdminTokenTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var header: String?
        var admitted: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        .init(name: "missing", header: nil, admitted: false),
        .init(name: "right bearer", header: "Bearer s3cret-token", admitted: true),
        .init(name: "scheme in any case", header: "bearer s3cret-token", admitted: true),
        .init(name: "wrong bearer", header: "Bearer s3cret-tokem", admitted: false),
        .init(name: "a prefix of the token", header: "Bearer s3cret", admitted: false),
        .init(name: "the token plus more", header: "Bearer s3cret-token2", admitted: false),
        .init(name: "basic with the token as password", header: "Basic " + Data("ops:s3cret-token".utf8).base64EncodedString(), admitted: true),
        .init(name: "basic with a wrong password", header: "Basic " + Data("ops:nope".utf8).base64EncodedString(), admitted: false),
        .init(name: "basic, not base64", header: "Basic %%%", admitted: false),
        .init(name: "another scheme", header: "Digest s3cret-token", admitted: false),
        .init(name: "no credential", header: "Bearer", admitted: false),
    ]

    @Test(arguments: cases)
    func admits(_ c: Case) throws {
        let token = try #require(AdminToken("s3cret-token"))
        #expect(token.admits(authorization: c.header) == c.admitted)
    }

    @Test func anEmptyTokenIsNoToken() {
        #expect(AdminToken("") == nil)
    }
}

@Suite("Allocation rate limiter")
struct AllocationRateLimiterTests {
    @Test func eachClientHasItsOwnBucket() {
        let limiter = AllocationRateLimiter()
        let rate = RateLimitSpec(perSecond: 10, burst: 2)
        #expect(limiter.admit(client: "a", now: 0, rate: rate) == nil)
        #expect(limiter.admit(client: "a", now: 0, rate: rate) == nil)
        let wait = limiter.admit(client: "a", now: 0, rate: rate)
        #expect(wait != nil && abs(wait! - 0.1) < 1e-9)
        #expect(limiter.admit(client: "b", now: 0, rate: rate) == nil, "another client is not limited by a's use")
        #expect(limiter.admit(client: "a", now: 0.1, rate: rate) == nil)
    }

    @Test func memoryStaysBounded() {
        let limiter = AllocationRateLimiter(maxClients: 100)
        let rate = RateLimitSpec(perSecond: 1, burst: 1)
        for n in 0..<10_000 { _ = limiter.admit(client: "c\(n)", now: Double(n) * 0.0001, rate: rate) }
        #expect(limiter.trackedClients <= 100)
        // A busy client keeps being limited while others come and go.
        #expect(limiter.admit(client: "c9999", now: 1.0, rate: rate) != nil)
    }
}

@Suite("Two faces")
struct TwoFacesTests {
    /// The public face serves clients only: nothing of the fleet's insides.
    @Test(arguments: ["/v1/fleet", "/v1/history", "/metrics", "/readyz", "/"])
    func thePublicFaceDoesNotServeAdminRoutes(_ path: String) async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)])
        try await app(state, metrics).test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .notFound, "\(path) answered \(response.status) on the public face")
            }
        }
    }

    @Test(arguments: ["/available-gameserver/", "/available-gameserver-list/", "/healthz"])
    func theAdminFaceDoesNotHandOutAllocations(_ path: String) async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)])
        try await adminApp(state, metrics).test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
        #expect(await state.snapshot().reservedSlots.isEmpty)
    }

    struct TokenCase: Sendable, CustomTestStringConvertible {
        var name: String
        var path: String
        var authorization: String?
        var status: Int
        var testDescription: String { name }
    }

    static let tokenCases: [TokenCase] = [
        .init(name: "no token on /v1/fleet", path: "/v1/fleet", authorization: nil, status: 401),
        .init(name: "a wrong token on /v1/fleet", path: "/v1/fleet", authorization: "Bearer nope", status: 401),
        .init(name: "the right token on /v1/fleet", path: "/v1/fleet", authorization: "Bearer t0ken-value", status: 200),
        .init(name: "no token on /metrics", path: "/metrics", authorization: nil, status: 401),
        .init(name: "the right token on /metrics", path: "/metrics", authorization: "Bearer t0ken-value", status: 200),
        .init(name: "no token on the status page", path: "/", authorization: nil, status: 401),
        .init(name: "the token as a browser's basic password", path: "/", authorization: "Basic " + Data("ops:t0ken-value".utf8).base64EncodedString(), status: 200),
        .init(name: "no token on /v1/history", path: "/v1/history", authorization: nil, status: 401),
        .init(name: "/readyz needs none", path: "/readyz", authorization: nil, status: 200),
    ]

    @Test(arguments: tokenCases)
    func theAdminTokenGuardsEveryRouteButReadyz(_ c: TokenCase) async throws {
        var tokenSpec = spec()
        tokenSpec.admin.token = "t0ken-value"
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)], spec: tokenSpec)
        try await adminApp(state, metrics).test(.router) { client in
            var headers = HTTPFields()
            if let authorization = c.authorization { headers[.authorization] = authorization }
            try await client.execute(uri: c.path, method: .get, headers: headers) { response in
                #expect(Int(response.status.code) == c.status)
                if c.status == 401 {
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
                    #expect(String(buffer: response.body).contains("admin.token"))
                    #expect(!String(buffer: response.body).contains("t0ken-value"))
                }
            }
        }
    }

    @Test func historyHoldsOneSummaryPerPassWithItsAllocations() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)])
        _ = await state.allocate()
        _ = await state.allocate()
        let again = ObservedState(observedAt: probeTime.addingTimeInterval(10), servers: [server("a", port: 7001, free: 1)])
        await state.publish(observed: again, plan: Planner.plan(spec: spec(), observed: again, now: probeTime), outcomes: [],
                            at: probeTime.addingTimeInterval(10), duration: .milliseconds(2))
        try await adminApp(state, metrics).test(.router) { client in
            try await client.execute(uri: "/v1/history", method: .get) { response in
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                let passes = try #require(json["passes"] as? [[String: Any]])
                #expect(passes.count == 2)
                #expect((passes.last?["allocations"] as? [String: Int])?["server"] == 2)
                #expect(passes.first?["freeSlots"] as? Int == 3)
            }
            try await client.execute(uri: "/v1/history?since=2027-01-15T08:00:05Z", method: .get) { response in
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect((json["passes"] as? [Any])?.count == 1)
            }
            try await client.execute(uri: "/v1/history?since=yesterday", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("since"))
            }
        }
    }
}
