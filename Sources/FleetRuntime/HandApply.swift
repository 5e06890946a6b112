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
    public static func run<C: Clock>(_ actions: [Action], spec: FleetSpec, provider: any FleetProvider, keeper: LeaseKeeper,
                                     clock: C, logger: Logger) async -> Result where C.Duration == Duration {
        // Renewals are due every renew interval from now (the lease was just taken), whenever the
        // renewing task happens to start running.
        let interval = keeper.renewInterval
        let first = clock.now.advanced(by: interval)
        let renewing = Task {
            var due = first
            while !Task.isCancelled {
                do {
                    try await clock.sleep(until: due, tolerance: nil)
                } catch {
                    return
                }
                await keeper.round()
                due = max(due.advanced(by: interval), clock.now)
            }
        }
        let (outcomes, left) = await FencedApply.apply(actions, spec: spec, provider: provider, gate: keeper, logger: logger)
        renewing.cancel()
        await renewing.value
        await keeper.release()
        return Result(outcomes: outcomes, notApplied: left)
    }

    /// ``run(_:spec:provider:keeper:clock:logger:)`` on the monotonic clock.
    public static func run(_ actions: [Action], spec: FleetSpec, provider: any FleetProvider, keeper: LeaseKeeper,
                           logger: Logger) async -> Result {
        await run(actions, spec: spec, provider: provider, keeper: keeper, clock: ContinuousClock(), logger: logger)
    }
}
