import FleetCore
import FleetHTTP
import Foundation
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
