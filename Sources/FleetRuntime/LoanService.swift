import FleetCore
import Logging
import ServiceLifecycle

/// A follower's side of loans: every half loan (``HASpec/loanDuration``), and at once when its
/// holding ran out, it reports to the leader what it did with its slots and takes the leader's
/// grant, so a follower with steady demand always holds slots and answers without a round trip.
/// While this replica leads it holds nothing and asks nothing.
public struct LoanService: Service {
    let loans: FollowerLoans
    let gate: any LeadershipGate
    let link: any AllocationForwarding
    let fleet: FleetState
    let replicaID: String
    let clock: any Clock<Duration>
    let logger: Logger

    public init(loans: FollowerLoans, gate: any LeadershipGate, link: any AllocationForwarding, fleet: FleetState, replicaID: String,
                clock: any Clock<Duration> = ContinuousClock(), logger: Logger) {
        self.loans = loans
        self.gate = gate
        self.link = link
        self.fleet = fleet
        self.replicaID = replicaID
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var lastOutcome: String?
            while !Task.isCancelled {
                let spec = await fleet.spec
                let period = (spec.ha?.loanDuration ?? .seconds(3)) / 2
                let outcome = await round(spec: spec)
                if let outcome, outcome != lastOutcome {
                    logger.notice("loans: \(outcome)")
                }
                lastOutcome = outcome ?? lastOutcome
                // At most one request per eighth of a period, however fast the holding runs out.
                do { try await clock.sleep(for: period / 8) } catch { return }
                if await !pauseOrRanOut(period - period / 8) { return }
            }
        }
    }

    /// One request to the leader, when this replica follows a known one; what changed, for the log.
    func round(spec: FleetSpec) async -> String? {
        if gate.leadingTerm() != nil {
            loans.drop()
            return nil
        }
        guard let leader = link.leaderAddress() else { return nil }
        var (report, sentAt) = loans.report(follower: replicaID)
        report.config = await fleet.replicaConfig
        switch await link.lend(report, to: leader) {
        case .granted(let grant):
            loans.settle(grant, sentAt: sentAt, spec: spec)
            if let config = grant.config { await fleet.heard(leader: leader, runs: config) }
            return "the leader at \(leader) lends this follower slots"
        case .refused:
            loans.refused()
            return "the replica at \(leader) does not lend (not leading, or its first pass as leader has not run): answering from what is held, then as a full fleet"
        case .unreachable:
            loans.settle(nil, sentAt: sentAt, spec: spec)
            return "the leader at \(leader) cannot be reached: answering from unexpired lent slots, then as a full fleet"
        }
    }

    /// Sleeps for `pause`, or less when the holding runs out meanwhile. False when cancelled.
    func pauseOrRanOut(_ pause: Duration) async -> Bool {
        let clock = self.clock, trigger = loans.ranOut
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(for: pause) }
            group.addTask { await trigger.wait() }
            await group.next()
            group.cancelAll()
        }
        return !Task.isCancelled
    }
}
