/// Which replica leads, as one replica sees it: `/v1/fleet`'s `ha` object and the gate the
/// reconciler asks before each action.
public struct LeadershipStatus: Sendable, Equatable {
    /// This replica's role.
    public enum Role: String, Sendable, Equatable, Codable {
        /// Holds the lease within its fence: observes, plans and applies.
        case leader
        /// Holds the lease, but its last successful renewal is too old to act on (renewals are
        /// failing): applies nothing until a renewal succeeds or another replica takes over.
        case fenced
        /// Another replica holds the lease (or nobody yet): observes and probes read-only.
        case follower
        /// No high availability: the one replica always acts.
        case single
    }

    public var role: Role
    /// This replica's id; nil for a single replica.
    public var replicaID: String?
    /// The leading replica's id as last read; nil when no lease was seen.
    public var leader: String?
    /// Where the leader's admin face is reached, `host:port`.
    public var leaderAddress: String?
    /// The lease version last written (leader) or last read (follower).
    public var leaseVersion: String?
    /// Leader: time since its last successful renewal started. Follower: time since the lease's
    /// version was first seen unchanged (a live leader keeps this under a renew interval).
    public var leaseAge: Duration?

    public init(role: Role, replicaID: String? = nil, leader: String? = nil, leaderAddress: String? = nil,
                leaseVersion: String? = nil, leaseAge: Duration? = nil) {
        self.role = role
        self.replicaID = replicaID
        self.leader = leader
        self.leaderAddress = leaderAddress
        self.leaseVersion = leaseVersion
        self.leaseAge = leaseAge
    }

    /// The one replica of a fleet without `ha`.
    public static let single = LeadershipStatus(role: .single)

    /// True when this replica may apply actions.
    public var mayApply: Bool { role == .leader || role == .single }

    /// E.g. `follower (leader ip-10-0-1-5-3f2a at 10.0.1.5:8001)`, `leader`, `single replica`.
    public var text: String {
        switch role {
        case .single: return "single replica"
        case .leader: return "leader"
        case .fenced: return "fenced leader (renewals failing)"
        case .follower:
            guard let leader else { return "follower (no leader yet)" }
            return "follower (leader \(leader) at \(leaderAddress ?? "?"))"
        }
    }
}
