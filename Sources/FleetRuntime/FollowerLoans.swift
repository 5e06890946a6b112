import FleetCore
import Synchronization

/// A follower's loans as the public face reads them on every request: a ``BorrowedSlots`` behind a
/// lock (no actor hop on the hot path), on this replica's monotonic clock, and whether the leader
/// answered the last request to it.
public final class FollowerLoans: Sendable {
    struct State {
        var slots: BorrowedSlots
        var leaderReachable = true
    }

    private let state: Mutex<State>
    let elapsed: @Sendable () -> Duration
    /// Pulled when the holding runs out and a player had to be forwarded: the loan service asks at
    /// once instead of waiting for its next round.
    public let ranOut = PassTrigger()

    /// - Parameter clock: the monotonic clock the holding's expiry is counted on.
    public init<C: Clock>(spec: FleetSpec, clock: C) where C.Duration == Duration {
        state = Mutex(State(slots: BorrowedSlots(strategy: spec.allocation.strategy, backup: spec.allocation.backup, capacity: spec.gameserver.capacity)))
        let start = clock.now
        elapsed = { start.duration(to: clock.now) }
    }

    /// Now on the holding's clock.
    public func now() -> Duration { elapsed() }

    /// Answers one player: a lent slot, a full fleet's answer, or `.forward` (then the caller asks
    /// the leader, and reports how that went with ``forwarded(reached:)``).
    public func answer() -> BorrowedSlots.Answer {
        let now = elapsed()
        let answer = state.withLock { $0.slots.answer(at: now, leaderReachable: $0.leaderReachable) }
        if answer == .forward { ranOut.pull() }
        return answer
    }

    /// After a `.forward`: the leader answered (`reached`), or could not be reached (then this
    /// replica answers as a full fleet, returned here, until a request to the leader works again).
    public func forwarded(reached: Bool) -> Allocation? {
        state.withLock { state in
            if reached {
                state.slots.noteForwarded()
                return nil
            }
            state.leaderReachable = false
            let full: Allocation = state.slots.backupAnswer
            state.slots.noteAnsweredFull(full)
            return full
        }
    }

    /// The report for a request about to be sent, and when it is sent.
    public func report(follower: String) -> (LoanReport, sentAt: Duration) {
        let now = elapsed()
        return (state.withLock { $0.slots.report(follower: follower, at: now) }, now)
    }

    /// Takes the leader's grant for a request sent at `sentAt`, or notes that the request failed
    /// (nil). A reload's allocation settings are taken here too.
    public func settle(_ grant: LoanGrant?, sentAt: Duration, spec: FleetSpec) {
        state.withLock { state in
            state.slots.adopt(strategy: spec.allocation.strategy, backup: spec.allocation.backup, capacity: spec.gameserver.capacity)
            guard let grant else {
                state.leaderReachable = false
                return
            }
            state.leaderReachable = true
            state.slots.accept(grant, sentAt: sentAt)
        }
    }

    /// The leader refused the request (it does not lead, or its books are not open yet): what is
    /// held stays usable until it expires; once out, players are answered as a full fleet would.
    public func refused() {
        state.withLock { $0.leaderReachable = false }
    }

    /// This replica leads: whatever it still holds is dropped (it hands out its own books now).
    public func drop() {
        state.withLock { state in
            if state.slots.account != nil || state.slots.holding > 0 { state.slots.drop() }
            state.leaderReachable = true
        }
    }

    /// For `/v1/fleet`'s `borrowed`.
    public func snapshot() -> BorrowedSnapshot {
        let now = elapsed()
        return state.withLock { state in
            let slots = state.slots
            return BorrowedSnapshot(
                account: slots.account, holding: slots.holding, servers: slots.slots.mapValues(\.count), target: slots.target,
                expiresInSeconds: slots.expiresAt.map { max(0, ($0 - now).seconds) }, whenOut: slots.whenOut.rawValue,
                leaderReachable: state.leaderReachable, expiredUnused: slots.expiredUnused)
        }
    }
}
