import FleetCore
import Foundation

/// The leader's side of loans (see ``LoanBook``): what `POST /v1/loans` does with a follower's
/// report, and what an expiry does to the books. Lent slots are off the allocation index; used and
/// expired ones become reservations, so the reservation rule (a slot is taken until a probe newer
/// than its hand-out says otherwise) covers them like the leader's own.
extension FleetState {
    /// Settles `report`, counts the follower's answers in the demand window, and lends the follower
    /// slots up to the holding its rate calls for (``LoanSizing``), all for `duration` from now.
    /// Nil when the books are not leadership `term`'s (this replica does not lead, or its first pass
    /// as leader has not published yet): the follower then holds what it has until it expires.
    public func lend(_ report: LoanReport, term: Int, duration: Duration, newAccountID: String) -> LoanGrant? {
        guard booksTerm == term else { return nil }
        let time = now()
        if let config = report.config { agreement.heard(follower: report.follower, runs: config, at: time) }
        settleExpiredLoans(at: time)
        if let settlement = loans.settle(report, at: time) { book.reserve(settlement.used, at: settlement.at) }
        demandWindow.count(report.answered)
        book.relend(loans.outstanding)  // slots given back are free again
        let account = loans.account(for: report, newID: newAccountID, at: time, fallbackWindow: spec.gameserver.health.interval)
        let recall = overLent(account)
        let target = LoanSizing.target(rate: account.rate, duration: duration)
        let followers = loans.followers + (loans.accounts[report.follower] == nil ? 1 : 0)
        let topUp = max(0, min(target - account.holding, LoanSizing.share(free: book.room, followers: followers)))
        var taken: [Int: Int] = [:]
        for _ in 0..<topUp {
            guard let serverIndex = book.takeForLoan() else { break }
            taken[serverIndex, default: 0] += 1
        }
        let servers = observed?.servers ?? []
        let added = taken.keys.sorted().compactMap { i -> LentSlots? in
            guard let address = servers[i].address else { return nil }
            return LentSlots(server: servers[i].id, address: address, count: taken[i]!, current: servers[i].taskDefinition == spec.taskDefinition)
        }
        loans.grant(added, on: account, target: target, duration: duration, at: time)
        return LoanGrant(account: account.id, added: added, target: target, expiresInMs: Int(duration.milliseconds),
                         whenOut: book.room > 0 ? .forward : .full, recall: recall.isEmpty ? nil : recall, config: replicaConfig)
    }

    /// The config this replica runs, as it tells the others.
    public var replicaConfig: ReplicaConfig { ReplicaConfig(hash: config.hash, version: config.version) }

    /// Follower: the leader at `leader` answered a loan request saying it runs `config`.
    public func heard(leader: String, runs config: ReplicaConfig) {
        agreement.heard(leader: leader, runs: config, at: now())
    }

    /// `/v1/fleet`'s `ha.config` and `gamefleet_config_drift`: nil without `ha`.
    public func configAgreement(leading: Bool) -> ConfigAgreementSnapshot? {
        guard let ha = spec.ha else { return nil }
        return agreement.view(own: replicaConfig, leading: leading, at: now(), forgetAfter: ConfigAgreement.forgetAfter(ha))
    }

    /// What `account` holds beyond what the published observation leaves its servers (free slots
    /// less reservations and the other followers' loans; nothing for a server that may not take
    /// players or is gone), by server id. Those slots stay lent until the follower reports them
    /// given back; the grant asks for them.
    func overLent(_ account: LoanBook.Account) -> [String: Int] {
        guard !account.slots.isEmpty else { return [:] }
        let servers = observed?.servers ?? []
        let capacity = max(spec.gameserver.capacity, 1)
        var others = loans.outstanding
        for (id, count) in account.slots { others[id, default: 0] -= count }
        var recall: [String: Int] = [:]
        for (id, held) in account.slots {
            var room = 0
            if let i = servers.firstIndex(where: { $0.id == id }), Allocator.mayTakePlayers(servers[i]) {
                let free = min(max(servers[i].health.availableCapacity ?? 0, 0), capacity)
                room = max(0, free - book.reserved(at: i) - max(0, others[id] ?? 0))
            }
            if held > room { recall[id] = held - room }
        }
        return recall
    }

    /// When the last loan outstanding expires (nil: none is). A leader giving its lease up waits
    /// for it before deleting the lease, so a successor never opens its books beside a live loan.
    public func loansEnd() -> Date? {
        loans.latestExpiry
    }

    /// Ends the accounts whose loans expired by `time`: what they still held counts as handed out at
    /// their expiry.
    func settleExpiredLoans(at time: Date) {
        let settled = loans.expire(at: time)
        guard !settled.isEmpty else { return }
        for settlement in settled { book.reserve(settlement.used, at: settlement.at) }
        book.relend(loans.outstanding)
    }

    /// What each follower holds, for `/v1/fleet` and the status page.
    func loanSnapshots() -> [LoanSnapshot] {
        let time = now()
        return loans.accounts.values.sorted { $0.follower < $1.follower }.map { account in
            LoanSnapshot(follower: account.follower, account: account.id, holding: account.holding, servers: account.slots,
                         target: account.target, ratePerSecond: account.rate,
                         expiresInSeconds: max(0, account.expiresAt.timeIntervalSince(time)))
        }
    }
}
