import FleetCore

/// `/v1/fleet`'s `loans` (on the leader): what one follower holds on loan.
public struct LoanSnapshot: Sendable, Codable, Equatable {
    /// The follower's replica id.
    public var follower: String
    public var account: String
    /// Slots outstanding, all servers together, and by server id.
    public var holding: Int
    public var servers: [String: Int]
    /// The holding the last grant aimed at, from the follower's rate.
    public var target: Int
    /// Slots the follower handed out or forwarded a second, smoothed.
    public var ratePerSecond: Double
    /// Seconds until the loan expires unless the follower asks again.
    public var expiresInSeconds: Double
}

/// `/v1/fleet`'s `borrowed` (on a follower): the slots it holds from the leader.
public struct BorrowedSnapshot: Sendable, Codable, Equatable {
    public var account: String?
    public var holding: Int
    public var servers: [String: Int]
    public var target: Int
    /// Seconds until the holding expires (nil: none held).
    public var expiresInSeconds: Double?
    /// `forward` or `full`: what the follower does once the holding runs out.
    public var whenOut: String
    /// False after a request to the leader failed (then it answers as a full fleet once the
    /// holding runs out, until a request works again).
    public var leaderReachable: Bool
    /// Lent slots that expired unused since this replica started.
    public var expiredUnused: Int
}
