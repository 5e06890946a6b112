import FleetCore

/// `/v1/fleet`'s `ha` object: this replica's role and the lease as it sees it.
public struct HASnapshot: Sendable, Codable, Equatable {
    /// `leader`, `fenced` (holds the lease but its renewals are failing), or `follower`.
    public var role: String
    public var replicaId: String?
    /// The leading replica's id, as last read.
    public var leader: String?
    /// The leader's admin `host:port`, where followers forward allocations.
    public var leaderAddress: String?
    public var leaseVersion: String?
    /// Leader: seconds since its last successful renewal started. Follower: seconds the lease's
    /// version has been seen unchanged (stays under the renew interval while the leader lives).
    public var leaseAgeSeconds: Double?
    /// Whether the replicas run the same config (``ConfigAgreement``): leader, each follower heard
    /// from; follower, the leader.
    public var config: ConfigAgreementSnapshot?

    public init(_ status: LeadershipStatus) {
        role = status.role.rawValue
        replicaId = status.replicaID
        leader = status.leader
        leaderAddress = status.leaderAddress
        leaseVersion = status.leaseVersion
        leaseAgeSeconds = status.leaseAge.map { Double($0.milliseconds) / 1000 }
    }
}
