import AsyncHTTPClient
import FleetRuntime
import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import TestSupport
import Testing

/// The real prober against real hostile sockets: each exchange ends within about the timeout and
/// says what went wrong.
@Suite("HTTP prober against hostile servers")
struct HTTPProberTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var behaviour: HealthBehaviour
        var reason: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        Case(name: "a body dripped a byte a second", behaviour: .drip, reason: "no complete health answer within 500ms"),
        Case(name: "a server that never answers", behaviour: .silent, reason: "within 500ms"),
        Case(name: "a 10 MB answer", behaviour: .huge, reason: "health answer of 10485760 bytes is larger than 4096 bytes"),
        Case(name: "a connection closed mid-head", behaviour: .closeMidHead, reason: "health probe failed"),
    ])
    func aHostileServerFailsTheProbeWithinTheTimeout(_ c: Case) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await HostileGameserver.start(c.behaviour, group: group)
        let client = HTTPHealthProber.makeClient()
        let prober = HTTPHealthProber(client: client)
        let started = ContinuousClock.now
        let result = await raceForTest(limit: .seconds(20)) {
            await prober.probe(host: "127.0.0.1", port: server.port, path: "/health/", timeout: .milliseconds(500))
        }
        let took = ContinuousClock.now - started
        try? await client.shutdown()
        await server.stop()
        try? await group.shutdownGracefully()
        print("probe of \(c.name): \(String(describing: result)) after \(took)")
        guard case .failed(let why)? = result else {
            Issue.record("expected a failed probe within 20s, got \(String(describing: result))")
            return
        }
        #expect(why.contains(c.reason), "\(why)")
    }

    @Test func aHealthyServerAnswers() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await HostileGameserver.start(.healthy(capacity: 3), group: group)
        let client = HTTPHealthProber.makeClient()
        let result = await HTTPHealthProber(client: client).probe(host: "127.0.0.1", port: server.port, path: "/health/", timeout: .seconds(60))
        try? await client.shutdown()
        await server.stop()
        try? await group.shutdownGracefully()
        #expect(result == .answered(availableCapacity: 3, readyToClose: false))
    }
}

