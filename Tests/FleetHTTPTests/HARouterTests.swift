import FleetCore
import FleetHTTP
import FleetRuntime
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// A fixed leadership answer.
struct FixedGate: LeadershipGate {
    var value: LeadershipStatus
    func status() async -> LeadershipStatus { value }
    func mayApply() async -> Bool { value.mayApply }
}

/// A forwarder that answers from a table, or fails (the leader cannot be reached).
final class FakeForwarder: AllocationForwarding {
    let leader: String?
    let answer: (status: Int, body: String)?
    let asked = Mutex<[String]>([])
    init(leader: String?, answer: (status: Int, body: String)?) {
        self.leader = leader
        self.answer = answer
    }
    func leaderAddress() -> String? { leader }
    func forward(to address: String) async -> (status: Int, body: ByteBuffer)? {
        asked.withLock { $0.append(address) }
        return answer.map { ($0.status, ByteBuffer(string: $0.body)) }
    }
}

@Suite("HTTP endpoint with ha")
struct HARouterTests {
    static let follower = LeadershipStatus(role: .follower, replicaID: "b-1", leader: "a-1", leaderAddress: "10.0.0.1:8001", leaseVersion: "v9", leaseAge: .milliseconds(1500))
    static let leader = LeadershipStatus(role: .leader, replicaID: "a-1", leader: "a-1", leaderAddress: "10.0.0.1:8001", leaseVersion: "v9", leaseAge: .milliseconds(200))

    @Test("/v1/fleet carries the ha object and the role line")
    func fleetShowsHA() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)])
        try await Application(router: FleetRouter.buildAdmin(fleet: state, metrics: metrics, leadership: FixedGate(value: Self.follower))).test(.router) { client in
            try await client.execute(uri: "/v1/fleet", method: .get) { response in
                let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
                #expect(object["role"] as? String == "follower (leader a-1 at 10.0.0.1:8001)")
                let ha = object["ha"] as? [String: Any] ?? [:]
                #expect(ha["role"] as? String == "follower")
                #expect(ha["replicaId"] as? String == "b-1")
                #expect(ha["leader"] as? String == "a-1")
                #expect(ha["leaderAddress"] as? String == "10.0.0.1:8001")
                #expect(ha["leaseVersion"] as? String == "v9")
                #expect(ha["leaseAgeSeconds"] as? Double == 1.5)
            }
        }
    }

    @Test("POST /v1/allocate: the leader reserves and answers; a replica that does not lead answers 409 and reserves nothing")
    func internalAllocate() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 1)])
        try await Application(router: FleetRouter.buildAdmin(fleet: state, metrics: metrics, leadership: FixedGate(value: Self.follower))).test(.router) { client in
            try await client.execute(uri: "/v1/allocate", method: .post) { response in
                #expect(response.status == .conflict)
            }
        }
        #expect(await state.snapshot().reservedSlots.isEmpty)
        try await Application(router: FleetRouter.buildAdmin(fleet: state, metrics: metrics, leadership: FixedGate(value: Self.leader))).test(.router) { client in
            try await client.execute(uri: "/v1/allocate", method: .post) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"available":"127.0.0.1:7001","backup":false,"server_id":"a"}"#)
            }
        }
        #expect(await state.snapshot().reservedSlots == ["a": 1])
    }

    @Test("Without ha there is no /v1/allocate")
    func noInternalRouteWithoutHA() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 1)])
        try await adminApp(state, metrics).test(.router) { client in
            try await client.execute(uri: "/v1/allocate", method: .post) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("A follower relays the leader's answer and reserves nothing itself; counted as forwarded")
    func forwards() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)])
        let forwarder = FakeForwarder(leader: "10.0.0.1:8001", answer: (200, #"{"available":"127.0.0.1:7009","backup":false,"server_id":"z"}"#))
        try await Application(router: FleetRouter.buildPublic(fleet: state, metrics: metrics, forwarder: forwarder)).test(.router) { client in
            try await client.execute(uri: "/available-gameserver/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"available":"127.0.0.1:7009","backup":false,"server_id":"z"}"#)
            }
        }
        #expect(forwarder.asked.withLock { $0 } == ["10.0.0.1:8001"])
        #expect(await state.snapshot().reservedSlots.isEmpty)
        #expect(metrics.render().contains(#"gamefleet_allocations_forwarded_total{result="forwarded"} 1"#))
    }

    @Test("A follower that cannot reach the leader answers from its own view; counted as fallback")
    func fallsBack() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)])
        let forwarder = FakeForwarder(leader: "10.0.0.1:8001", answer: nil)
        try await Application(router: FleetRouter.buildPublic(fleet: state, metrics: metrics, forwarder: forwarder)).test(.router) { client in
            try await client.execute(uri: "/available-gameserver/", method: .get) { response in
                #expect(String(buffer: response.body) == #"{"available":"127.0.0.1:7001","backup":false,"server_id":"a"}"#)
            }
        }
        #expect(await state.snapshot().reservedSlots == ["a": 1])
        #expect(metrics.render().contains(#"gamefleet_allocations_forwarded_total{result="fallback"} 1"#))
    }

    @Test("The leader (no forward target) answers from its own books without asking anyone")
    func leaderAnswersItself() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)])
        let forwarder = FakeForwarder(leader: nil, answer: nil)
        try await Application(router: FleetRouter.buildPublic(fleet: state, metrics: metrics, forwarder: forwarder)).test(.router) { client in
            try await client.execute(uri: "/available-gameserver/", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(forwarder.asked.withLock { $0 }.isEmpty)
        #expect(metrics.render().contains(#"gamefleet_allocations_forwarded_total{result="forwarded"} 0"#))
    }
}
