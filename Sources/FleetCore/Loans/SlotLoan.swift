import Foundation

/// Slots of one gameserver the leader lent a follower: the follower may hand out `count` players to
/// `address` without asking, until the loan expires. What travels between the two replicas.
public struct LentSlots: Sendable, Equatable, Codable {
    /// The server's id.
    public var server: String
    public var address: HostPort
    /// Slots lent (at least 1 in a grant; what is left on the follower's side).
    public var count: Int
    /// True when the server runs the spec's task definition: the follower hands out these first,
    /// outdated ones only when no current one is left, as the leader does.
    public var current: Bool

    public init(server: String, address: HostPort, count: Int, current: Bool = true) {
        self.server = server
        self.address = address
        self.count = count
        self.current = current
    }
}

/// What a follower says when it asks for a loan (`POST /v1/loans` on the leader's admin face): what
/// it did with the slots of its account. ``used`` and ``returned`` are totals since the account
/// began, so a report whose answer was lost (the leader may or may not have read it) can be
/// followed by the next one without counting anything twice or losing anything: the leader applies
/// what it has not seen yet. ``answered`` and ``forwarded`` are counts since the previous request
/// (demand, not books: one lost now and then only makes a window look a little quieter).
public struct LoanReport: Sendable, Equatable, Codable {
    /// The follower's replica id: one account per follower.
    public var follower: String
    /// The account the counts settle (the leader's id for this follower's loans); nil when the
    /// follower holds none (its first request, or its loan expired or came from another leader).
    public var account: String?
    /// Lent slots of ``account`` the follower handed out, by server id: the total since the account began.
    public var used: [String: Int]
    /// Lent slots of ``account`` the follower gave back unused (it stopped using them when it first
    /// reported them), by server id: the total since the account began.
    public var returned: [String: Int]
    /// What the follower answered by itself since its previous request: lent servers, the backup,
    /// 503s. The leader counts them in its demand window (the leader's books stay the only ones).
    public var answered: AllocationTally
    /// Requests the follower forwarded to the leader since its previous request (its loan had run
    /// out): demand the loan did not cover, so the next one is larger.
    public var forwarded: Int
    /// The config the follower runs, so the leader can show replicas that disagree (nil from a
    /// follower older than the field).
    public var config: ReplicaConfig?

    public init(follower: String, account: String? = nil, used: [String: Int] = [:], returned: [String: Int] = [:],
                answered: AllocationTally = AllocationTally(), forwarded: Int = 0, config: ReplicaConfig? = nil) {
        self.config = config
        self.follower = follower
        self.account = account
        self.used = used
        self.returned = returned
        self.answered = answered
        self.forwarded = forwarded
    }
}

/// The leader's answer to a ``LoanReport``: slots added to the follower's holding, and how long the
/// whole holding may be used.
public struct LoanGrant: Sendable, Equatable, Codable {
    /// The account the slots belong to. A follower whose holding names another account drops it
    /// and starts afresh with ``added``.
    public var account: String
    /// Slots added to the holding (empty when the holding is already what the follower needs, or
    /// nothing is free).
    public var added: [LentSlots]
    /// How many slots the leader sized this follower's holding at (from its recent rate); the
    /// follower gives back what it holds beyond this with its next request.
    public var target: Int
    /// How long, from when the follower *sent* its request, it may use the holding: never more
    /// than the lease's safety margin (see ``LoanBook``).
    public var expiresInMs: Int
    /// What the follower does once its holding runs out before the next grant.
    public var whenOut: WhenOut
    /// Slots the follower must stop using, by server id: the leader's newer probes no longer leave
    /// them room (the server filled up by other means, failed its probes, went to standby or
    /// away). The follower drops what it still holds of them and reports them given back.
    public var recall: [String: Int]?
    /// The leader (its replica id) and the config it runs: the one that acts.
    public var leader: String?
    public var config: ReplicaConfig?

    public init(account: String, added: [LentSlots], target: Int, expiresInMs: Int, whenOut: WhenOut, recall: [String: Int]? = nil,
                leader: String? = nil, config: ReplicaConfig? = nil) {
        self.leader = leader
        self.config = config
        self.account = account
        self.added = added
        self.target = target
        self.expiresInMs = expiresInMs
        self.whenOut = whenOut
        self.recall = recall
    }

    /// What a follower whose lent slots ran out does with the next allocation.
    public enum WhenOut: String, Sendable, Equatable, Codable {
        /// The leader's books had free slots left: forward it to the leader.
        case forward
        /// The leader's books had nothing free beyond what it lent: answer as a full fleet does
        /// (the backup, or 503), without a round trip, until the next grant says otherwise.
        case full
    }
}
