/// High availability (fleet.yaml's `ha:`): several `gamefleet serve` replicas of one fleet elect a
/// leader through a lease item in a DynamoDB table; only the leader changes the fleet, and the
/// others forward allocations to it. Absent: one replica, which always acts (as before `ha`).
public struct HASpec: Sendable, Equatable {
    /// The DynamoDB table holding one lease item per fleet (hash key `fleet`, a string).
    public var table: String
    /// How long a lease holds without renewal. The leader renews every third of it; a follower
    /// that sees the lease unchanged this long (on its own clock) takes it over.
    public var leaseDuration: Duration
    /// Where the other replicas reach this replica's admin face (`host:port`), written into the
    /// lease while this replica leads; followers forward allocations there.
    public var advertise: HostPort
    /// Another DynamoDB endpoint URL (an emulator); nil means `ecs.endpoint` if set, else the region's.
    public var endpoint: String?

    /// The shortest and longest accepted `leaseDuration`.
    public static let leaseDurationBounds: ClosedRange<Duration> = .seconds(3) ... .seconds(300)

    public init(table: String, leaseDuration: Duration = FleetDefaults.leaseDuration, advertise: HostPort, endpoint: String? = nil) {
        self.table = table
        self.leaseDuration = leaseDuration
        self.advertise = advertise
        self.endpoint = endpoint
    }

    /// How often the leader renews (and a follower reads) the lease: a third of ``leaseDuration``.
    public var renewInterval: Duration { leaseDuration / 3 }

    /// How much of the lease the leader keeps in hand: it applies nothing once ``leaseDuration``
    /// minus this has passed since its last successful renewal started. A fifth of the lease,
    /// so a leader whose renewals fail stops at 80 % of the lease, while a follower can take
    /// over only after 100 % on its own clock (see `LeaseElector`).
    public var safetyMargin: Duration { leaseDuration / 5 }

    /// How long slots the leader lends a follower may be used: the safety margin. The leader lends
    /// only while its fence is open (less than `leaseDuration − safetyMargin` since its last
    /// successful renewal started), and a follower may take over only a full `leaseDuration` after
    /// it saw that renewal, so every loan has ended before a new leader's books open, even when the
    /// leader dies or is cut off right after a grant.
    public var loanDuration: Duration { safetyMargin }
}
