import Foundation
import Testing
@testable import FleetCore

@Suite("Addresses, blocks and the client behind a proxy")
struct ClientAddressTests {
    struct ParseCase: Sendable, CustomTestStringConvertible {
        var text: String
        var expected: String?
        var testDescription: String { text }
    }

    static let parses: [ParseCase] = [
        .init(text: "10.1.2.3", expected: "10.1.2.3"),
        .init(text: "::1", expected: "0:0:0:0:0:0:0:1"),
        .init(text: "[2001:db8::7]", expected: "2001:db8:0:0:0:0:0:7"),
        .init(text: "::ffff:192.0.2.1", expected: "192.0.2.1"),
        .init(text: "fe80::1%eth0", expected: "fe80:0:0:0:0:0:0:1"),
        .init(text: "256.1.1.1", expected: nil),
        .init(text: "1.2.3", expected: nil),
        .init(text: "1:2:3:4:5:6:7:8:9", expected: nil),
        .init(text: "1::2::3", expected: nil),
        .init(text: "example.com", expected: nil),
        .init(text: "", expected: nil),
        .init(text: "10.0.0.1:80", expected: nil),
    ]

    @Test(arguments: parses)
    func parsesAddresses(_ c: ParseCase) {
        #expect(IPAddress(parsing: c.text)?.description == c.expected)
    }

    @Test func blocksContainWhatTheySay() throws {
        let ten = try #require(CIDRBlock(parsing: "10.0.0.0/8"))
        #expect(ten.contains(IPAddress(parsing: "10.255.0.1")!))
        #expect(!ten.contains(IPAddress(parsing: "11.0.0.1")!))
        let one = try #require(CIDRBlock(parsing: "192.0.2.7"))
        #expect(one.contains(IPAddress(parsing: "192.0.2.7")!))
        #expect(!one.contains(IPAddress(parsing: "192.0.2.8")!))
        let v6 = try #require(CIDRBlock(parsing: "fd00::/8"))
        #expect(v6.contains(IPAddress(parsing: "fd12::1")!))
        #expect(!v6.contains(IPAddress(parsing: "10.0.0.1")!))
        let all = try #require(CIDRBlock(parsing: "0.0.0.0/0"))
        #expect(all.contains(IPAddress(parsing: "203.0.113.9")!))
        #expect(CIDRBlock(parsing: "10.0.0.0/33") == nil)
        #expect(CIDRBlock(parsing: "10.0.0.0/") == nil)
        #expect(CIDRBlock(parsing: "fd00::/129") == nil)
    }

    struct ForwardCase: Sendable, CustomTestStringConvertible {
        var name: String
        var peer: String
        var forwardedFor: [String]
        var expected: String
        var testDescription: String { name }
    }

    static let trusted = [CIDRBlock(parsing: "10.0.0.0/8")!, CIDRBlock(parsing: "127.0.0.1")!]
    static let forwards: [ForwardCase] = [
        .init(name: "an untrusted peer's header is ignored", peer: "203.0.113.5", forwardedFor: ["198.51.100.1"], expected: "203.0.113.5"),
        .init(name: "a trusted proxy names its client", peer: "10.0.0.2", forwardedFor: ["198.51.100.1"], expected: "198.51.100.1"),
        .init(name: "a client's own prefix is not believed", peer: "10.0.0.2", forwardedFor: ["1.1.1.1, 198.51.100.1"], expected: "198.51.100.1"),
        .init(name: "chained trusted proxies are skipped", peer: "127.0.0.1", forwardedFor: ["198.51.100.1, 10.0.0.9", "10.0.0.3"], expected: "198.51.100.1"),
        .init(name: "garbage stops at the last trusted hop", peer: "10.0.0.2", forwardedFor: ["198.51.100.1, not-an-ip"], expected: "10.0.0.2"),
        .init(name: "no header: the proxy itself", peer: "10.0.0.2", forwardedFor: [], expected: "10.0.0.2"),
        .init(name: "all trusted: the leftmost", peer: "10.0.0.2", forwardedFor: ["10.0.0.7"], expected: "10.0.0.7"),
    ]

    @Test(arguments: forwards)
    func resolvesTheClient(_ c: ForwardCase) {
        #expect(ClientAddress.resolve(peer: IPAddress(parsing: c.peer), forwardedFor: c.forwardedFor, trusted: Self.trusted) == c.expected)
    }
}

@Suite("Token bucket")
struct TokenBucketTests {
    @Test func burstThenRate() {
        var bucket = TokenBucket(burst: 3, now: 0)
        #expect(bucket.take(perSecond: 2, burst: 3, now: 0) == nil)
        #expect(bucket.take(perSecond: 2, burst: 3, now: 0) == nil)
        #expect(bucket.take(perSecond: 2, burst: 3, now: 0) == nil)
        let wait = bucket.take(perSecond: 2, burst: 3, now: 0)
        #expect(wait == 0.5)
        #expect(bucket.take(perSecond: 2, burst: 3, now: 0.5) == nil, "one token came back after half a second")
        #expect(bucket.take(perSecond: 2, burst: 3, now: 0.5) != nil)
        #expect(bucket.isFull(perSecond: 2, burst: 3, now: 2.0))
        #expect(!bucket.isFull(perSecond: 2, burst: 3, now: 1.0))
    }

    @Test func aClockGoingBackwardsGivesNothing() {
        var bucket = TokenBucket(burst: 1, now: 10)
        #expect(bucket.take(perSecond: 1, burst: 1, now: 10) == nil)
        #expect(bucket.take(perSecond: 1, burst: 1, now: 5) != nil)
    }
}

@Suite("Pass history ring")
struct PassHistoryTests {
    @Test func keepsTheLastOnesOldestFirst() {
        var history = PassHistory(limit: 3)
        let plan = Plan(actions: [.launch("g", code: .belowUpscaleMargin, reason: "r")], summary: Plan.Summary(
            freeSlots: 1, upscaleMargin: 4, downscaleMargin: 18, servers: 1, active: 1, standby: 0, starting: 0, unhealthy: 0, outdated: 0))
        for n in 0..<5 {
            history.append(PassSummary(at: Date(timeIntervalSince1970: Double(n)), summary: plan.summary, plan: plan, failed: 0, durationMs: 1))
        }
        #expect(history.summaries().map(\.at.timeIntervalSince1970) == [2, 3, 4])
        #expect(history.summaries(since: Date(timeIntervalSince1970: 3)).map(\.at.timeIntervalSince1970) == [4])
        #expect(history.summaries().first?.planned == ["launch": 1])
    }
}
