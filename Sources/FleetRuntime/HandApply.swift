import FleetCore
import Logging

/// `gamefleet apply` on a fleet with `ha`: the hand-applied pass holds the lease like a leader does,
/// renewing it every renew interval while the actions run (so a long apply never runs beside a
/// replica that took a lapsed lease over) and fenced like a pass (``FencedApply``): once a renewal
/// cannot be proven, the rest is not applied. The lease is released at the end.
public enum HandApply {
    /// What the hand-applied pass did.
    public struct Result: Sendable {
        public var outcomes: [ActionOutcome]
        /// Actions not applied because the lease could no longer be proven.
        public var notApplied: Int
    }

    /// Takes the lease for `keeper` (one round: acquired only when no one holds it). Nil when it
    /// leads now; otherwise who holds the lease (or why it could not be taken), for the refusal.
    public static func acquire(_ keeper: LeaseKeeper) async -> LeadershipStatus? {
        await keeper.round()
        let status = await keeper.status()
        return status.role == .leader ? nil : status
    }

    /// Applies `actions` while `keeper` (which must lead, see ``acquire(_:)``) renews the lease in
    /// the background on `clock`; then stops renewing and releases the lease.
    public static func run(_ actions: [Action], spec: FleetSpec, provider: any FleetProvider, keeper: LeaseKeeper,
                           clock: any Clock<Duration> = ContinuousClock(), logger: Logger) async -> Result {
        let renewing = Task {
            while !Task.isCancelled {
                do {
                    try await clock.sleep(for: keeper.renewInterval)
                } catch {
                    return
                }
                await keeper.round()
            }
        }
        let (outcomes, left) = await FencedApply.apply(actions, spec: spec, provider: provider, gate: keeper, logger: logger)
        renewing.cancel()
        await renewing.value
        await keeper.release()
        return Result(outcomes: outcomes, notApplied: left)
    }
}
