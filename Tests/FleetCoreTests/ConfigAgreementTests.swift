import Foundation
import Testing
@testable import FleetCore

/// What one replica knows of the others' configs, and when it calls that drift.
@Suite("Config agreement between replicas")
struct ConfigAgreementTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let mine = ReplicaConfig(hash: "aaaa", version: "4")
    static let older = ReplicaConfig(hash: "bbbb", version: "3")

    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var leading: Bool
        /// (replica, config, seconds before now)
        var followers: [(String, ReplicaConfig, Double)] = []
        var leader: (String, ReplicaConfig, Double)? = nil
        var drift: Bool
        var shown: [String]
        var text: String
        var description: String { name }
    }

    static let rows: [Row] = [
        Row(name: "leader, no follower heard", leading: true, drift: false, shown: [], text: "runs version 4 (aaaa); no other replica heard from lately"),
        Row(name: "leader, followers agree", leading: true, followers: [("b", mine, 1), ("c", mine, 2)], drift: false, shown: ["b", "c"],
            text: "all 3 replicas heard from run version 4 (aaaa)"),
        Row(name: "leader, one follower on the old version", leading: true, followers: [("b", mine, 1), ("c", older, 1)], drift: true, shown: ["b", "c"],
            text: "DRIFT: this replica runs version 4 (aaaa); follower c runs version 3 (bbbb). The config that acts: this replica's (it leads)"),
        Row(name: "leader, the differing follower not heard for over 3 leases (45 s)", leading: true, followers: [("b", mine, 1), ("c", older, 46)],
            drift: false, shown: ["b"], text: "all 2 replicas heard from"),
        Row(name: "follower, leader unknown", leading: false, drift: false, shown: [], text: "no other replica heard from"),
        Row(name: "follower, leader agrees", leading: false, leader: ("a", mine, 1), drift: false, shown: ["a"], text: "all 2 replicas heard from run version 4 (aaaa)"),
        Row(name: "follower, leader runs another version", leading: false, leader: ("a", older, 1), drift: true, shown: ["a"],
            text: "DRIFT: this replica runs version 4 (aaaa); leader a runs version 3 (bbbb). The config that acts: the leader's: version 3 (bbbb)"),
        Row(name: "follower: followers it heard as an old leader do not count", leading: false, followers: [("c", older, 1)], leader: ("a", mine, 1),
            drift: false, shown: ["a"], text: "all 2 replicas"),
    ]

    @Test("Each case", arguments: rows)
    func view(_ row: Row) {
        var agreement = ConfigAgreement()
        let now = Self.t0.addingTimeInterval(100)
        for (id, config, ago) in row.followers { agreement.heard(follower: id, runs: config, at: now.addingTimeInterval(-ago)) }
        if let (id, config, ago) = row.leader { agreement.heard(leader: id, runs: config, at: now.addingTimeInterval(-ago)) }
        let ha = HASpec(table: "t", leaseDuration: .seconds(15), advertise: HostPort(host: "10.0.0.1", port: 8001))
        let view = agreement.view(own: Self.mine, leading: row.leading, at: now, forgetAfter: ConfigAgreement.forgetAfter(ha))
        #expect(view.drift == row.drift)
        #expect(view.replicas.map(\.replica) == row.shown)
        #expect(view.text.contains(row.text), "\(view.text)")
    }
}
