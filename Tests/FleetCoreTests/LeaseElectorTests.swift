import FleetCore
import Testing

/// The leader-election rules as a pure value: reads, decisions, renewals and the fence.
@Suite("Lease elector")
struct LeaseElectorTests {
    static func elector(lease: Duration = .seconds(15), margin: Duration = .seconds(3)) -> LeaseElector {
        LeaseElector(replicaID: "me", address: "10.0.0.1:8001", leaseDuration: lease, safetyMargin: margin)
    }

    static func other(_ version: String) -> LeaseRecord {
        LeaseRecord(holder: "other", address: "10.0.0.2:8001", version: version, leaseDurationMs: 15000)
    }

    /// A follower's reads at times, and what it decides at each.
    struct ReadCase: Sendable, CustomTestStringConvertible {
        var name: String
        /// (seconds on the follower's clock, the version read or nil for no item)
        var reads: [(Double, String?)]
        var decisions: [LeaseElector.Decision]
        var testDescription: String { name }
    }

    static let readCases: [ReadCase] = [
        ReadCase(name: "no item: acquire at once", reads: [(0, nil)], decisions: [.acquire]),
        ReadCase(name: "a renewing leader: the version changes, always wait",
                 reads: [(0, "a"), (5, "b"), (10, "c"), (15, "d"), (20, "e")], decisions: [.wait, .wait, .wait, .wait, .wait]),
        ReadCase(name: "a silent leader: same version a full lease after first sight → take over",
                 reads: [(0, "a"), (5, "a"), (10, "a"), (15, "a")], decisions: [.wait, .wait, .wait, .takeOver(expected: "a")]),
        ReadCase(name: "the lease counts from the first sight of a version, not from the first read",
                 reads: [(0, "a"), (10, "b"), (20, "b"), (25, "b")], decisions: [.wait, .wait, .wait, .takeOver(expected: "b")]),
        ReadCase(name: "just short of a lease: wait",
                 reads: [(0, "a"), (14.999, "a")], decisions: [.wait, .wait]),
        ReadCase(name: "an item gone after being seen: acquire",
                 reads: [(0, "a"), (5, nil)], decisions: [.wait, .acquire]),
        ReadCase(name: "gone and back with the same version: counted afresh",
                 reads: [(0, "a"), (5, nil), (6, "a"), (16, "a"), (21, "a")], decisions: [.wait, .acquire, .wait, .wait, .takeOver(expected: "a")]),
    ]

    @Test("Follower decisions", arguments: readCases)
    func follower(_ c: ReadCase) {
        var e = Self.elector()
        var got: [LeaseElector.Decision] = []
        for (t, version) in c.reads {
            #expect(e.nextStep == .read)
            got.append(e.observe(version.map(Self.other), at: .seconds(t)))
        }
        #expect(got == c.decisions)
        #expect(!e.mayApply(at: .seconds(c.reads.last?.0 ?? 0)), "a follower never applies")
    }

    /// The fence after a successful renewal that started at 100 s: lease 15 s, margin 3 s.
    struct FenceCase: Sendable, CustomTestStringConvertible {
        var at: Double
        var mayApply: Bool
        var testDescription: String { "\(at) s → \(mayApply)" }
    }

    static let fenceCases: [FenceCase] = [
        FenceCase(at: 100, mayApply: true),
        FenceCase(at: 111.999, mayApply: true),
        FenceCase(at: 112, mayApply: false),
        FenceCase(at: 115, mayApply: false),
        FenceCase(at: 500, mayApply: false),
    ]

    @Test("Fence: apply only while the last successful renewal started less than lease − margin ago", arguments: fenceCases)
    func fence(_ c: FenceCase) {
        var e = Self.elector()
        e.wrote(version: "v1", startedAt: .seconds(100))
        #expect(e.mayApply(at: .seconds(c.at)) == c.mayApply)
        #expect(e.status(at: .seconds(c.at)).role == (c.mayApply ? .leader : .fenced))
    }

    @Test("The holder renews expecting its own last version; each success moves the fence")
    func renewals() {
        var e = Self.elector()
        #expect(e.observe(nil, at: .zero) == .acquire)
        e.wrote(version: "v1", startedAt: .seconds(0))
        #expect(e.nextStep == .renew(expected: "v1"))
        e.wrote(version: "v2", startedAt: .seconds(5))
        #expect(e.nextStep == .renew(expected: "v2"))
        #expect(e.mayApply(at: .seconds(16)))
        #expect(!e.mayApply(at: .seconds(17)))
        #expect(e.status(at: .seconds(6)) == LeadershipStatus(role: .leader, replicaID: "me", leader: "me", leaderAddress: "10.0.0.1:8001", leaseVersion: "v2", leaseAge: .seconds(1)))
    }

    @Test("A refused renewal with someone else's version found: follower at once, counting that version from now")
    func lost() {
        var e = Self.elector()
        e.wrote(version: "v1", startedAt: .seconds(0))
        e.refused((version: "v2", startedAt: .seconds(5)), found: Self.other("x"), at: .seconds(6))
        #expect(e.heldVersion == nil)
        #expect(!e.mayApply(at: .seconds(6)))
        #expect(e.nextStep == .read)
        #expect(e.status(at: .seconds(8)).text == "follower (leader other at 10.0.0.2:8001)")
        #expect(e.observe(Self.other("x"), at: .seconds(20)) == .wait)
        #expect(e.observe(Self.other("x"), at: .seconds(21)) == .takeOver(expected: "x"))
    }

    @Test("A refused write that finds its own version (a retry after a lost answer) holds, fenced from when it started")
    func ownWriteFound() {
        var e = Self.elector()
        e.wrote(version: "v1", startedAt: .seconds(0))
        let record = e.record(version: "v2")
        e.refused((version: "v2", startedAt: .seconds(5)), found: record, at: .seconds(7))
        #expect(e.heldVersion == "v2")
        #expect(e.mayApply(at: .seconds(16.9)))
        #expect(!e.mayApply(at: .seconds(17)))
    }

    @Test("Resigning stops applying at once; the next round reads")
    func resign() {
        var e = Self.elector()
        e.wrote(version: "v1", startedAt: .seconds(0))
        e.resign()
        #expect(!e.mayApply(at: .seconds(1)))
        #expect(e.nextStep == .read)
    }

    @Test("Safety: whatever the follower's read times, it can take over only after the old leader's fence closed")
    func safety() {
        // The leader's last successful renewal started at `s`; the follower reads every 5 s from
        // an arbitrary phase, and sees the version only once the write was made (after `s`).
        for phase in stride(from: 0.0, to: 5.0, by: 0.25) {
            let s = 100.0
            var leader = Self.elector()
            leader.wrote(version: "last", startedAt: .seconds(s))
            var follower = LeaseElector(replicaID: "f", address: "x:1", leaseDuration: .seconds(15), safetyMargin: .seconds(3))
            _ = follower.observe(Self.other("older"), at: .seconds(phase + 90))
            var t = phase + 95
            while t < 200 {
                let seen = t > s ? LeaseRecord(holder: "me", address: "a", version: "last", leaseDurationMs: 15000) : Self.other("older")
                if case .takeOver = follower.observe(seen, at: .seconds(t)) {
                    #expect(!leader.mayApply(at: .seconds(t)), "phase \(phase): took over at \(t) while the leader could still apply")
                    #expect(t - s <= 15 + 5 + 0.001, "phase \(phase): takeover only at \(t)")
                    break
                }
                t += 5
            }
            #expect(t < 200)
        }
    }
}
