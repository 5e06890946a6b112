// Loans/: with ha, the leader lends followers slots: the leader's books (LoanBook), what a follower
// holds (BorrowedSlots), the report and grant they exchange (SlotLoan), and how large a loan is.

import Foundation

/// The leader's record of the slots it lent its followers: one account per follower, each with the
/// slots outstanding per server and when they expire. Pure: every call takes `now` (the leader's
/// clock), and what the leader's books must do with a settled report or an expired account comes
/// back as a ``Settlement``.
///
/// The rules:
/// - A lent slot is off the leader's books from the grant until the follower reports it used
///   (then it is a reservation like any handed-out slot, dated at the report), gives it back (then
///   it is free again), or the account expires (then every slot still outstanding counts as used,
///   dated at the expiry: the leader cannot know, so it waits for a probe newer than the expiry).
/// - An account expires ``LoanGrant/expiresInMs`` after its last grant on the leader's clock. The
///   follower counts the same length from when it *sent* its request, earlier, so it has stopped
///   using the slots before the leader takes them back.
/// - A report that names no account, or another one than the follower's (its holding expired or
///   was dropped on its side, or it came from another leader), ends the follower's account: every
///   slot still outstanding counts as used at the report (the follower holds none of them any more,
///   and those it handed out are waited for like any reservation). Its demand still counts.
public struct LoanBook: Sendable, Equatable {
    /// One follower's loans.
    public struct Account: Sendable, Equatable, Codable {
        public var follower: String
        /// Names the account in grants and reports; new for each account (after an expiry or on a
        /// new leader), so a stale report never settles a newer loan.
        public var id: String
        /// Slots outstanding, by server id (no zero entries).
        public var slots: [String: Int]
        public var expiresAt: Date
        /// When the follower last asked (for its rate).
        public var lastRequestAt: Date
        /// Slots the follower handed out or forwarded a second, smoothed (``LoanSizing/smoothed(previous:measured:)``).
        public var rate: Double
        /// The holding the last grant aimed at.
        public var target: Int
        /// The follower's totals as last applied (reports carry totals; only what is new counts).
        public var reportedUsed: [String: Int] = [:]
        public var reportedReturned: [String: Int] = [:]

        /// Slots outstanding in all.
        public var holding: Int { slots.values.reduce(0, +) }
    }

    /// Slots that leave the loans for the leader's books as handed out at `at` (reservations that
    /// wait for a probe newer than `at`).
    public struct Settlement: Sendable, Equatable {
        public var used: [String: Int]
        public var at: Date

        public init(used: [String: Int], at: Date) {
            self.used = used
            self.at = at
        }
    }

    /// Accounts by follower id.
    public private(set) var accounts: [String: Account] = [:]

    public init() {}

    /// Slots outstanding on every account, by server id: what the leader's books keep off.
    public var outstanding: [String: Int] {
        var total: [String: Int] = [:]
        for account in accounts.values {
            for (server, count) in account.slots { total[server, default: 0] += count }
        }
        return total
    }

    /// The latest expiry of any account; nil with none. A leader that gives its lease up waits
    /// until then, so no loan outlives its leadership.
    public var latestExpiry: Date? { accounts.values.map(\.expiresAt).max() }

    /// Ends every account whose expiry is at or before `now`: their outstanding slots count as
    /// used at their expiry.
    public mutating func expire(at now: Date) -> [Settlement] {
        var settled: [Settlement] = []
        for (follower, account) in accounts where account.expiresAt <= now {
            if !account.slots.isEmpty { settled.append(Settlement(used: account.slots, at: account.expiresAt)) }
            accounts[follower] = nil
        }
        return settled.sorted { $0.at < $1.at }
    }

    /// Folds in a follower's report at `now`: what it used since the totals last applied leaves the
    /// account as a settlement at `now`, what it returned leaves it freed; both clamped to what is
    /// outstanding per server. Updates the follower's rate. Nil when nothing becomes a reservation.
    public mutating func settle(_ report: LoanReport, at now: Date) -> Settlement? {
        guard var account = accounts[report.follower] else { return nil }
        guard account.id == report.account else {
            accounts[report.follower] = nil
            return account.slots.isEmpty ? nil : Settlement(used: account.slots, at: now)
        }
        var used: [String: Int] = [:]
        var demand = max(0, report.forwarded)
        for (server, total) in report.used {
            let new = total - account.reportedUsed[server, default: 0]
            guard new > 0 else { continue }
            account.reportedUsed[server] = total
            demand += new
            let taken = min(new, account.slots[server] ?? 0)
            guard taken > 0 else { continue }
            used[server] = taken
            account.slots[server]! -= taken
        }
        for (server, total) in report.returned {
            let new = total - account.reportedReturned[server, default: 0]
            guard new > 0 else { continue }
            account.reportedReturned[server] = total
            account.slots[server] = max(0, (account.slots[server] ?? 0) - new)
        }
        account.slots = account.slots.filter { $0.value > 0 }
        let elapsed = now.timeIntervalSince(account.lastRequestAt)
        if elapsed > 0 { account.rate = LoanSizing.smoothed(previous: account.rate, measured: Double(demand) / elapsed) }
        account.lastRequestAt = now
        accounts[report.follower] = account
        return used.isEmpty ? nil : Settlement(used: used, at: now)
    }

    /// The account a follower asking at `now` gets its slots on: its own, or a new one named
    /// `newID` (its first request, or its last account expired). A new account starts from the
    /// rate the report shows over `fallbackWindow` (nothing to measure from yet).
    public func account(for report: LoanReport, newID: String, at now: Date, fallbackWindow: Duration) -> Account {
        if let account = accounts[report.follower] { return account }
        let demand = report.used.values.reduce(0, +) + report.forwarded
        let seconds = max(fallbackWindow.seconds, 0.001)
        return Account(follower: report.follower, id: newID, slots: [:], expiresAt: now, lastRequestAt: now,
                       rate: Double(demand) / seconds, target: LoanSizing.minimum)
    }

    /// Records a grant of `added` on `account` at `now`: the whole holding now expires `duration` later.
    public mutating func grant(_ added: [LentSlots], on account: Account, target: Int, duration: Duration, at now: Date) {
        var account = account
        for lent in added where lent.count > 0 { account.slots[lent.server, default: 0] += lent.count }
        account.expiresAt = now.addingTimeInterval(duration.seconds)
        account.lastRequestAt = now
        account.target = target
        accounts[account.follower] = account
    }

    /// Followers holding an account (live ones: expired accounts are gone after ``expire(at:)``).
    public var followers: Int { accounts.count }
}
