import FleetCore
import FleetHTTP
import FleetRuntime
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// A fixed leadership answer; a leader's term is 1.
struct FixedGate: LeadershipGate {
    var value: LeadershipStatus
    func status() async -> LeadershipStatus { value }
    func mayApply() async -> Bool { value.mayApply }
    func leadingTerm() -> Int? { value.role == .leader ? 1 : nil }
}

/// A link to the leader that answers from a table, or fails (the leader cannot be reached).
final class FakeForwarder: AllocationForwarding {
    let leader: String?
    let answer: (status: Int, body: String)?
    let loan: LoanAnswer
    let asked = Mutex<[String]>([])
    let reports = Mutex<[LoanReport]>([])
    init(leader: String?, answer: (status: Int, body: String)?, loan: LoanAnswer = .unreachable) {
        self.leader = leader
        self.answer = answer
        self.loan = loan
    }
    func leaderAddress() -> String? { leader }
    func forward(to address: String) async -> (status: Int, body: ByteBuffer)? {
        asked.withLock { $0.append(address) }
        return answer.map { ($0.status, ByteBuffer(string: $0.body)) }
    }
    func lend(_ report: LoanReport, to address: String) async -> LoanAnswer {
        reports.withLock { $0.append(report) }
        return loan
    }
}

@Suite("HTTP endpoint with ha")
struct HARouterTests {
    static let follower = LeadershipStatus(role: .follower, replicaID: "b-1", leader: "a-1", leaderAddress: "10.0.0.1:8001", leaseVersion: "v9", leaseAge: .milliseconds(1500))
    static let leader = LeadershipStatus(role: .leader, replicaID: "a-1", leader: "a-1", leaderAddress: "10.0.0.1:8001", leaseVersion: "v9", leaseAge: .milliseconds(200))

    /// The public face of a replica with `gate`'s role, `link` to the leader and `loans`.
    static func publicFace(_ state: FleetState, _ metrics: FleetMetrics, gate: FixedGate, link: FakeForwarder, loans: FollowerLoans) -> some ApplicationProtocol {
        Application(router: FleetRouter.buildPublic(
            fleet: state, metrics: metrics, replica: ReplicaAllocator(fleet: state, gate: gate, loans: loans, link: link, metrics: metrics)))
    }

    static func body(_ response: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:]
    }

    @Test("/v1/fleet carries the ha object and the role line")
    func fleetShowsHA() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)])
        try await Application(router: FleetRouter.buildAdmin(fleet: state, metrics: metrics, leadership: FixedGate(value: Self.follower))).test(.router) { client in
            try await client.execute(uri: "/v1/fleet", method: .get) { response in
                let object = Self.body(response)
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
        let (state, metrics) = await fleet([server("a", port: 7001, free: 1)], term: 1)
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

    @Test("A new leader whose first pass as leader has not published answers as a full fleet: its books may miss what the old leader handed out")
    func newLeaderWaitsForItsFirstPass() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)], term: nil)
        try await Application(router: FleetRouter.buildAdmin(fleet: state, metrics: metrics, leadership: FixedGate(value: Self.leader))).test(.router) { client in
            try await client.execute(uri: "/v1/allocate", method: .post) { response in
                #expect(String(buffer: response.body) == #"{"available":"127.0.0.1:8888","backup":true}"#)
            }
            try await client.execute(uri: "/v1/loans", method: .post, body: ByteBuffer(string: #"{"follower":"b-1","used":{},"returned":{},"answered":{"server":0,"backup":0,"none":0},"forwarded":0}"#)) { response in
                #expect(response.status == .conflict)
            }
        }
        #expect(await state.snapshot().reservedSlots.isEmpty)
    }

    @Test("Without ha there is no /v1/allocate nor /v1/loans")
    func noInternalRouteWithoutHA() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 1)])
        try await adminApp(state, metrics).test(.router) { client in
            for uri in ["/v1/allocate", "/v1/loans"] {
                try await client.execute(uri: uri, method: .post) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
    }

    @Test("POST /v1/loans: the leader lends specific slots off its own books, settles the report, and /v1/fleet shows what the follower holds")
    func leaderLends() async throws {
        var haSpec = spec()
        haSpec.ha = HASpec(table: "leases", leaseDuration: .seconds(15), advertise: HostPort(host: "127.0.0.1", port: 8001))
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3), server("b", port: 7002, free: 8)], spec: haSpec, term: 1)
        let report = LoanReport(follower: "b-1")
        let grant = Mutex<LoanGrant?>(nil)
        try await Application(router: FleetRouter.buildAdmin(fleet: state, metrics: metrics, leadership: FixedGate(value: Self.leader), newAccountID: { "acct" })).test(.router) { client in
            try await client.execute(uri: "/v1/loans", method: .post, body: ByteBuffer(bytes: try JSONEncoder().encode(report))) { response in
                #expect(response.status == .ok)
                let decoded = try? JSONDecoder().decode(LoanGrant.self, from: Data(buffer: response.body))
                grant.withLock { $0 = decoded }
            }
            try await client.execute(uri: "/v1/fleet", method: .get) { response in
                let loans = Self.body(response)["loans"] as? [[String: Any]] ?? []
                #expect(loans.count == 1)
                #expect(loans.first?["follower"] as? String == "b-1")
                #expect(loans.first?["holding"] as? Int == LoanSizing.minimum)
            }
        }
        let granted = grant.withLock { $0 }
        let got = try #require(granted)
        #expect(got.account == "acct")
        #expect(got.added == [LentSlots(server: "a", address: HostPort(host: "127.0.0.1", port: 7001), count: 2)], "packed: the fullest server's slots, the minimum holding")
        #expect(got.expiresInMs == 3000, "lease 15 s: the loan lasts the safety margin")
        #expect(got.whenOut == .forward)
        // The leader's own clients get the one slot of a left, then b: the lent slots are off its books.
        let firstTwo = [await state.allocate(leading: 1), await state.allocate(leading: 1)].map { allocation -> String in
            if case .server(let id, _) = allocation { return id } else { return "-" }
        }
        #expect(firstTwo == ["a", "b"])
        // A newer pass sees a full (its players came by other means): the next grant recalls the
        // follower's slots of it, and tops up from b.
        let observed = ObservedState(observedAt: probeTime.addingTimeInterval(1), servers: [server("a", port: 7001, free: 0), server("b", port: 7002, free: 8)])
        await state.publish(observed: observed, plan: Planner.plan(spec: haSpec, observed: observed, now: probeTime), outcomes: [],
                            at: probeTime.addingTimeInterval(1), duration: .milliseconds(3), term: 1)
        let next = await state.lend(LoanReport(follower: "b-1", account: "acct"), term: 1, duration: .seconds(3), newAccountID: "other")
        #expect(next?.recall == ["a": 2])
        #expect(next?.added.map(\.server) == ["b"] || next?.added.isEmpty == true)
    }

    @Test("A loan report carries the follower's config and the grant the leader's: /v1/fleet's ha.config and gamefleet_config_drift show a follower on another config")
    func loanReportsCarryTheConfig() async throws {
        var haSpec = spec()
        haSpec.ha = HASpec(table: "leases", leaseDuration: .seconds(15), advertise: HostPort(host: "127.0.0.1", port: 8001))
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)], spec: haSpec, term: 1)
        let own = await state.replicaConfig
        let report = LoanReport(follower: "b-1", config: ReplicaConfig(hash: "0123456789abcdef", version: "7"))
        try await Application(router: FleetRouter.buildAdmin(fleet: state, metrics: metrics, leadership: FixedGate(value: Self.leader), newAccountID: { "acct" })).test(.router) { client in
            try await client.execute(uri: "/v1/loans", method: .post, body: ByteBuffer(bytes: try JSONEncoder().encode(report))) { response in
                let grant = try? JSONDecoder().decode(LoanGrant.self, from: Data(buffer: response.body))
                #expect(grant?.config == own)
            }
            try await client.execute(uri: "/v1/fleet", method: .get) { response in
                let config = (Self.body(response)["ha"] as? [String: Any])?["config"] as? [String: Any]
                #expect(config?["drift"] as? Bool == true)
                #expect((config?["text"] as? String)?.contains("follower b-1 runs version 7 (0123456789abcdef)") == true, "\(String(describing: config))")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(String(buffer: response.body).contains("\ngamefleet_config_drift 1"), "\(String(buffer: response.body).prefix(300))")
            }
        }
    }

    @Test("A follower with lent slots answers from them without asking the leader; counted as lent; /v1/fleet shows what it holds")
    func followerAnswersFromItsLoan() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)])
        let link = FakeForwarder(leader: "10.0.0.1:8001", answer: nil)
        let loans = FollowerLoans(spec: spec(), clock: ContinuousClock())
        let (_, sentAt) = loans.report(follower: "b-1")
        loans.settle(LoanGrant(account: "acct", added: [LentSlots(server: "z", address: HostPort(host: "127.0.0.9", port: 7009), count: 1)],
                               target: 2, expiresInMs: 60_000, whenOut: .full), sentAt: sentAt, spec: spec())
        try await Self.publicFace(state, metrics, gate: FixedGate(value: Self.follower), link: link, loans: loans).test(.router) { client in
            try await client.execute(uri: "/available-gameserver/", method: .get) { response in
                #expect(String(buffer: response.body) == #"{"available":"127.0.0.9:7009","backup":false,"server_id":"z"}"#)
            }
            try await client.execute(uri: "/available-gameserver/", method: .get) { response in
                #expect(String(buffer: response.body) == #"{"available":"127.0.0.1:8888","backup":true}"#, "the leader had nothing more: the backup, no round trip")
            }
        }
        #expect(link.asked.withLock { $0 }.isEmpty)
        #expect(await state.snapshot().reservedSlots.isEmpty, "the follower's own books are not touched")
        let text = metrics.render()
        #expect(text.contains(#"gamefleet_allocations_total{result="server",source="lent"} 1"#))
        #expect(text.contains(#"gamefleet_allocations_total{result="backup",source="lent"} 1"#))
        try await Application(router: FleetRouter.buildAdmin(fleet: state, metrics: metrics, leadership: FixedGate(value: Self.follower), loans: loans)).test(.router) { client in
            try await client.execute(uri: "/v1/fleet", method: .get) { response in
                let borrowed = Self.body(response)["borrowed"] as? [String: Any] ?? [:]
                #expect(borrowed["account"] as? String == "acct")
                #expect(borrowed["holding"] as? Int == 0)
                #expect(borrowed["whenOut"] as? String == "full")
            }
        }
    }

    @Test("A follower whose loan ran out relays the leader's answer and reserves nothing itself; counted as forwarded")
    func forwards() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)])
        let link = FakeForwarder(leader: "10.0.0.1:8001", answer: (200, #"{"available":"127.0.0.1:7009","backup":false,"server_id":"z"}"#))
        let loans = FollowerLoans(spec: spec(), clock: ContinuousClock())
        try await Self.publicFace(state, metrics, gate: FixedGate(value: Self.follower), link: link, loans: loans).test(.router) { client in
            try await client.execute(uri: "/available-gameserver/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"available":"127.0.0.1:7009","backup":false,"server_id":"z"}"#)
            }
        }
        #expect(link.asked.withLock { $0 } == ["10.0.0.1:8001"])
        #expect(await state.snapshot().reservedSlots.isEmpty)
        #expect(metrics.render().contains(#"gamefleet_allocations_forwarded_total{result="forwarded"} 1"#))
        #expect(metrics.render().contains(#"gamefleet_allocations_total{result="server",source="forwarded"} 1"#))
        #expect(loans.report(follower: "b-1").0.forwarded == 1, "reported as demand the loan did not cover")
    }

    @Test("A follower that cannot reach the leader answers as a full fleet, never from its own view; counted as fallback")
    func answersFullWithoutTheLeader() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)])
        let link = FakeForwarder(leader: "10.0.0.1:8001", answer: nil)
        let loans = FollowerLoans(spec: spec(), clock: ContinuousClock())
        try await Self.publicFace(state, metrics, gate: FixedGate(value: Self.follower), link: link, loans: loans).test(.router) { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/available-gameserver/", method: .get) { response in
                    #expect(String(buffer: response.body) == #"{"available":"127.0.0.1:8888","backup":true}"#)
                }
            }
        }
        #expect(link.asked.withLock { $0 }.count == 1, "once the leader failed, the next player is not held up by another try")
        #expect(await state.snapshot().reservedSlots.isEmpty)
        #expect(metrics.render().contains(#"gamefleet_allocations_forwarded_total{result="fallback"} 1"#))
    }

    @Test("The leader answers from its own books without asking anyone")
    func leaderAnswersItself() async throws {
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)], term: 1)
        let link = FakeForwarder(leader: nil, answer: nil)
        let loans = FollowerLoans(spec: spec(), clock: ContinuousClock())
        try await Self.publicFace(state, metrics, gate: FixedGate(value: Self.leader), link: link, loans: loans).test(.router) { client in
            try await client.execute(uri: "/available-gameserver/", method: .get) { response in
                #expect(String(buffer: response.body) == #"{"available":"127.0.0.1:7001","backup":false,"server_id":"a"}"#)
            }
        }
        #expect(link.asked.withLock { $0 }.isEmpty)
        #expect(metrics.render().contains(#"gamefleet_allocations_forwarded_total{result="forwarded"} 0"#))
        #expect(metrics.render().contains(#"gamefleet_allocations_total{result="server",source="own"} 1"#))
    }
}
