import FleetCore

/// What the reconciler asks before a pass and before each action it applies: may this replica
/// act? ``LeaseKeeper`` answers for a replica of a fleet with `ha`; a fleet without it has no
/// gate and always acts.
public protocol LeadershipGate: Sendable {
    /// This replica's role and what it knows of the leader, now.
    func status() async -> LeadershipStatus
    /// True when this replica may apply an action now (it leads, within its fence).
    func mayApply() async -> Bool
    /// The leadership's number (``LeaseElector/term``) while this replica leads within its fence;
    /// nil otherwise. Read on every allocation request, so it must not wait: a leader hands out
    /// its own slots and lends only while this is not nil.
    func leadingTerm() -> Int?
}
