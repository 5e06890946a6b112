import Foundation

/// A follower's side of its loans: the slots it holds, until when, and what it did with them since
/// its last request to the leader. Pure: times are durations on the follower's own monotonic clock,
/// passed in.
///
/// The rules:
/// - An allocation takes a held slot by the fleet's strategy (``AllocationIndex/init(lent:strategy:backup:capacity:)``)
///   and counts it as used, to report with the next request.
/// - The holding expires ``LoanGrant/expiresInMs`` after the request that got the grant was *sent*
///   (never after it was answered): the leader counts from later, so the follower always stops first.
///   An expired holding hands out nothing more.
/// - With no slot left: forward to the leader while it is reachable and its last grant said it had
///   free slots left; otherwise answer as a full fleet (the backup, or none). Never from the
///   follower's own view of the fleet, which knows nothing of what the leader handed out.
public struct BorrowedSlots: Sendable {
    /// What a follower answers one player with.
    public enum Answer: Sendable, Equatable {
        /// A lent slot of a server.
        case lent(Allocation)
        /// Nothing lent left and nothing to ask: the backup, or none.
        case full(Allocation)
        /// Nothing lent left: ask the leader.
        case forward
    }

    /// The account the holding belongs to; nil when none is held.
    public private(set) var account: String?
    /// The slots left, by server id.
    public private(set) var slots: [String: LentSlots] = [:]
    /// When the holding expires; nil when none is held.
    public private(set) var expiresAt: Duration?
    /// The last grant's advice for when the holding runs out.
    public private(set) var whenOut: LoanGrant.WhenOut = .forward
    /// The holding the leader sized this follower at.
    public private(set) var target = 0
    /// Slots of ``account`` handed out, and given back, by server id: totals since it began (what
    /// every report carries, see ``LoanReport``).
    public private(set) var used: [String: Int] = [:]
    public private(set) var returned: [String: Int] = [:]
    /// Answers given here since the last report.
    public private(set) var answered = AllocationTally()
    /// Requests forwarded since the last report.
    public private(set) var forwarded = 0
    /// Slots dropped unused because the holding expired (for the status page; never reported).
    public private(set) var expiredUnused = 0
    var index: AllocationIndex
    var strategy: AllocationStrategy
    var backup: HostPort?
    var capacity: Int

    public init(strategy: AllocationStrategy, backup: HostPort?, capacity: Int) {
        self.strategy = strategy
        self.backup = backup
        self.capacity = capacity
        index = AllocationIndex(lent: [], strategy: strategy, backup: backup, capacity: capacity)
    }

    /// A full fleet's answer: the backup, or none.
    public var backupAnswer: Allocation { backup.map { .backup($0) } ?? .none }

    /// Takes new allocation settings (a reload); the holding is indexed again when they changed.
    public mutating func adopt(strategy: AllocationStrategy, backup: HostPort?, capacity: Int) {
        guard strategy != self.strategy || backup != self.backup || capacity != self.capacity else { return }
        self.strategy = strategy
        self.backup = backup
        self.capacity = capacity
        rebuild()
    }

    /// Slots held, all servers together.
    public var holding: Int { slots.values.reduce(0) { $0 + $1.count } }

    /// Answers one player at `now`. `leaderReachable`: false when the last request to the leader
    /// failed (then a follower out of slots answers as a full fleet instead of forwarding).
    public mutating func answer(at now: Duration, leaderReachable: Bool) -> Answer {
        expireIfDue(at: now)
        let (allocation, _) = index.allocate()
        if case .server(let id, _) = allocation {
            slots[id]?.count -= 1
            if slots[id]?.count == 0 { slots[id] = nil }
            used[id, default: 0] += 1
            answered.count(allocation)
            return .lent(allocation)
        }
        if leaderReachable && whenOut == .forward { return .forward }
        answered.count(allocation)
        return .full(allocation)
    }

    /// Counts a request forwarded to the leader (reported as demand the holding did not cover).
    public mutating func noteForwarded() {
        forwarded += 1
    }

    /// Counts an answer given without the leader or a lent slot (the leader could not be reached
    /// when a forward was tried).
    public mutating func noteAnsweredFull(_ allocation: Allocation) {
        answered.count(allocation)
    }

    /// The report for a request sent at `now`, naming ``account``; resets the demand counts it
    /// carries (the totals stay). Slots held beyond the last grant's ``target`` are given back in it
    /// and no longer used.
    public mutating func report(follower: String, at now: Duration) -> LoanReport {
        expireIfDue(at: now)
        var excess = holding - target
        if excess > 0 {
            // Give back from the largest holdings first: the fewest servers touched.
            for id in slots.keys.sorted(by: { (slots[$0]!.count, $1) > (slots[$1]!.count, $0) }) where excess > 0 {
                let back = min(excess, slots[id]!.count)
                returned[id, default: 0] += back
                slots[id]!.count -= back
                if slots[id]!.count == 0 { slots[id] = nil }
                excess -= back
            }
            rebuild()
        }
        let report = LoanReport(follower: follower, account: account, used: account == nil ? [:] : used,
                                returned: account == nil ? [:] : returned, answered: answered, forwarded: forwarded)
        answered = AllocationTally()
        forwarded = 0
        return report
    }

    /// Takes a grant answering a request sent at `sentAt`. A grant on another account replaces the
    /// holding (what was left of the old one is dropped, its use since the report with it: the
    /// leader that lent it settles it at its expiry).
    public mutating func accept(_ grant: LoanGrant, sentAt: Duration) {
        if grant.account != account {
            account = grant.account
            slots = [:]
            used = [:]
            returned = [:]
        }
        for lent in grant.added where lent.count > 0 {
            if slots[lent.server] == nil {
                slots[lent.server] = lent
            } else {
                slots[lent.server]!.count += lent.count
                slots[lent.server]!.address = lent.address
                slots[lent.server]!.current = lent.current
            }
        }
        for (id, count) in grant.recall ?? [:] where count > 0 {
            guard let held = slots[id]?.count else { continue }
            let back = min(count, held)
            returned[id, default: 0] += back
            slots[id]!.count -= back
            if slots[id]!.count == 0 { slots[id] = nil }
        }
        expiresAt = sentAt + .milliseconds(max(0, grant.expiresInMs))
        whenOut = grant.whenOut
        target = grant.target
        rebuild()
    }

    /// Drops the holding at once (this replica leads now, or the leader refused the report): nothing
    /// more is handed out of it; the next report names no account.
    public mutating func drop() {
        expiredUnused += holding
        account = nil
        slots = [:]
        expiresAt = nil
        whenOut = .forward
        target = 0
        rebuild()
    }

    mutating func expireIfDue(at now: Duration) {
        guard let expiresAt, now >= expiresAt else { return }
        expiredUnused += holding
        // The next report names no account: the leader ends this one (it may already have).
        account = nil
        slots = [:]
        self.expiresAt = nil
        whenOut = .forward
        rebuild()
    }

    mutating func rebuild() {
        index = AllocationIndex(lent: Array(slots.values), strategy: strategy, backup: backup, capacity: capacity)
    }
}
