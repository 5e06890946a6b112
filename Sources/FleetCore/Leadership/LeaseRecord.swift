/// The lease item of one fleet as a store holds it: who leads, where it is reached, and the
/// record version that changes at every renewal.
///
/// Replicas never compare times written by others: a follower judges a lease only by whether
/// its ``version`` changed within a lease duration on the follower's own monotonic clock.
public struct LeaseRecord: Sendable, Equatable, Codable {
    /// The leading replica's id (see ``LeaseElector/replicaID``).
    public var holder: String
    /// Where the other replicas reach the leader's admin face, `host:port` (``HASpec/advertise``).
    public var address: String
    /// A random value the holder writes anew at each renewal.
    public var version: String
    /// The lease duration the holder runs with, in milliseconds (for people reading the item;
    /// each replica judges with its own configured duration).
    public var leaseDurationMs: Int64

    public init(holder: String, address: String, version: String, leaseDurationMs: Int64) {
        self.holder = holder
        self.address = address
        self.version = version
        self.leaseDurationMs = leaseDurationMs
    }
}
