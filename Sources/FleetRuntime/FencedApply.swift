import FleetCore
import Logging

/// Carries out actions step by step behind a leadership gate: all new launches first (the provider
/// batches them), then every other action on its own, asking the gate before each step. Once the
/// gate says no (the lease can no longer be proven), nothing more is applied. Used by the
/// reconciler's passes and by `gamefleet apply` on a fleet with `ha`.
public enum FencedApply {
    /// The outcomes of the steps applied, and how many actions were left unapplied.
    public static func apply(_ actions: [Action], spec: FleetSpec, provider: any FleetProvider, gate: any LeadershipGate,
                             logger: Logger) async -> (outcomes: [ActionOutcome], notApplied: Int) {
        let launches = actions.filter { $0.kind == .launch && $0.server == nil }
        let steps = (launches.isEmpty ? [] : [launches]) + actions.filter { !($0.kind == .launch && $0.server == nil) }.map { [$0] }
        var outcomes: [ActionOutcome] = []
        for (n, step) in steps.enumerated() {
            guard await gate.mayApply() else {
                let left = steps[n...].reduce(0) { $0 + $1.count }
                let role = await gate.status().text
                logger.warning("this replica no longer holds the lease (\(role)); \(left) action(s) not applied")
                return (outcomes, left)
            }
            outcomes += await provider.apply(step, spec: spec)
        }
        return (outcomes, 0)
    }
}
