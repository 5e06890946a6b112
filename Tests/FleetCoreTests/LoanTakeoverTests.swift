import Foundation
import Testing
@testable import FleetCore

/// No slot is lent past a leadership: a loan granted at any moment the leader may act has expired
/// before any follower may take the lease over. Simulated with the real electors on one timeline:
/// the leader renews every third of the lease until it dies (or is cut off the store), a follower
/// reads at its own phase.
@Suite("Loans never outlive the takeover wait")
struct LoanTakeoverTests {
    struct Case: Sendable, CustomTestStringConvertible {
        /// Seconds after the leader's renewal at 30 s that it dies; nil: it lives on, cut off the
        /// store (its renewals fail, so it keeps lending until its fence closes).
        var diesAfter: Double?
        /// Where in the renew period the follower reads.
        var readPhase: Double
        var lease: Int
        var testDescription: String { "lease \(lease) s, leader \(diesAfter.map { "dies \($0) s after a renewal" } ?? "cut off"), follower reads at +\(readPhase) s" }
    }

    static let cases: [Case] = [15, 3].flatMap { lease in
        let period = Double(lease) / 3
        return [0.0, 0.01, period / 2, period - 0.01, nil].flatMap { dies in
            [0.0, 0.001, period / 3, period - 0.001].map { Case(diesAfter: dies, readPhase: $0, lease: lease) }
        }
    }

    @Test("The last loan a leader can grant has expired when a follower takes over", arguments: cases)
    func loansEndFirst(_ c: Case) throws {
        let ha = HASpec(table: "t", leaseDuration: .seconds(c.lease), advertise: HostPort(host: "10.0.0.1", port: 8001))
        var leader = LeaseElector(replicaID: "a", address: "10.0.0.1:8001", leaseDuration: ha.leaseDuration, safetyMargin: ha.safetyMargin)
        var follower = LeaseElector(replicaID: "b", address: "10.0.0.2:8001", leaseDuration: ha.leaseDuration, safetyMargin: ha.safetyMargin)
        let period = ha.renewInterval
        let lastRenewal = Duration.seconds(30)
        let death = c.diesAfter.map { lastRenewal + .milliseconds(Int64($0 * 1000)) }
        var record: LeaseRecord?
        var takeover: Duration?
        var t = Duration.zero
        var nextRead = Duration.milliseconds(Int64(c.readPhase * 1000))
        var version = 0
        // Walk the timeline in 1 ms steps until the follower takes over.
        while takeover == nil, t < .seconds(200) {
            if t <= lastRenewal, t == .zero || t % period == .zero {
                version += 1
                leader.wrote(version: "v\(version)", startedAt: t)
                record = leader.record(version: "v\(version)")
            }
            if t == nextRead {
                if case .takeOver = follower.observe(record, at: t) { takeover = t }
                nextRead += period
            }
            t += .milliseconds(1)
        }
        let takenOver = try #require(takeover)
        // The leader lends while it may apply and lives; a follower's loan, counted from when it
        // sent its request (at or before the grant), lasts `loanDuration`.
        let fence = try #require(leader.fenceClosesAt)
        let lastGrant = min(fence, death ?? fence)
        #expect(!leader.mayApply(at: fence), "the fence is closed at fenceClosesAt")
        #expect(lastGrant + ha.loanDuration <= takenOver,
                "a loan granted at \(lastGrant) lasts to \(lastGrant + ha.loanDuration), past the takeover at \(takenOver)")
    }
}

extension Duration {
    static func % (lhs: Duration, rhs: Duration) -> Duration {
        .milliseconds(lhs.milliseconds % rhs.milliseconds)
    }
}
