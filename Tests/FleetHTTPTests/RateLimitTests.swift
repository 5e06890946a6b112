import FleetCore
import FleetHTTP
import FleetRuntime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The rate limit on real sockets: the peer address is the socket's (127.0.0.1 here).
@Suite("Allocation rate limit")
struct RateLimitTests {
    func limitedFleet(trusted: [String]) async -> (FleetState, FleetMetrics) {
        var limited = spec()
        // A refill slow enough (one token in 1,000 s) that a loaded machine cannot refill a bucket mid-test.
        limited.allocation.rateLimit = RateLimitSpec(perSecond: 0.001, burst: 3)
        limited.allocation.trustedProxies = trusted.compactMap(CIDRBlock.init(parsing:))
        return await fleet([server("a", port: 7001, free: 10), server("b", port: 7002, free: 10)], spec: limited)
    }

    func allocate(_ client: some TestClientProtocol, forwardedFor: String? = nil) async throws -> (Int, String, String?) {
        var headers = HTTPFields()
        if let forwardedFor { headers[HTTPField.Name("X-Forwarded-For")!] = forwardedFor }
        return try await client.execute(uri: "/available-gameserver/", method: .get, headers: headers) { response in
            (Int(response.status.code), String(buffer: response.body), response.headers[.retryAfter])
        }
    }

    /// One client asking in a loop gets its burst, then 429s with Retry-After and a JSON body, and
    /// holds no more slots than its burst: players from other addresses still find room.
    @Test func aClientOverItsLimitGets429AndNoReservation() async throws {
        let (state, metrics) = await limitedFleet(trusted: [])
        try await app(state, metrics).test(.live) { client in
            var answers: [(Int, String, String?)] = []
            for _ in 0..<6 { answers.append(try await allocate(client)) }
            #expect(answers.prefix(3).allSatisfy { $0.0 == 200 }, "\(answers)")
            #expect(answers.suffix(3).allSatisfy { $0.0 == 429 }, "\(answers)")
            let limited = try #require(answers.last)
            #expect(Int(limited.2 ?? "") ?? 0 >= 1, "Retry-After: \(String(describing: limited.2))")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(limited.1.utf8)) as? [String: Any])
            #expect(body["status"] as? Int == 429)
            #expect((body["error"] as? String)?.contains("allocation.rateLimit") == true)
        }
        #expect(await state.snapshot().reservedSlots.values.reduce(0, +) == 3, "a limited request reserved a slot")
        #expect(metrics.render().contains("gamefleet_allocations_rate_limited_total 3"))
    }

    /// Behind a trusted proxy each client is its own: the proxy's address is not what is limited.
    @Test func aTrustedProxysForwardedForNamesTheClient() async throws {
        let (state, metrics) = await limitedFleet(trusted: ["127.0.0.0/8"])
        try await app(state, metrics).test(.live) { client in
            for n in 0..<4 {
                for _ in 0..<3 {
                    let (status, body, _) = try await allocate(client, forwardedFor: "198.51.100.\(n)")
                    #expect(status == 200, "client \(n): \(body)")
                }
            }
            let (status, _, _) = try await allocate(client, forwardedFor: "198.51.100.0")
            #expect(status == 429, "the first client's fourth request in a burst of 3")
            // A client cannot dodge its limit by adding its own X-Forwarded-For entries on the left.
            let (dodge, _, _) = try await allocate(client, forwardedFor: "203.0.113.77, 198.51.100.0")
            #expect(dodge == 429)
        }
    }

    /// From an untrusted peer, X-Forwarded-For is the client's own claim and is ignored: every
    /// request counts against the socket's address.
    @Test func anUntrustedForwardedForIsIgnored() async throws {
        let (state, metrics) = await limitedFleet(trusted: ["10.0.0.0/8"])
        try await app(state, metrics).test(.live) { client in
            var statuses: [Int] = []
            for n in 0..<6 { statuses.append(try await allocate(client, forwardedFor: "198.51.100.\(n)").0) }
            #expect(statuses == [200, 200, 200, 429, 429, 429])
        }
    }
}
