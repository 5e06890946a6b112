import FleetCore
import Foundation

/// The last ``kept`` failed launches, newest first, for `/v1/fleet`'s `launchFailures`: each
/// pass's outcomes are folded in, so ECS's reason (`RESOURCE:MEMORY`, `AGENT`, …) outlives the
/// pass that met it. Kept in memory only: a restart starts with none.
struct LaunchFailureBook: Sendable {
    /// How many failures are kept.
    static let kept = 20

    /// Newest first, at most ``kept``.
    private(set) var failures: [LaunchFailure] = []

    /// Adds the failed launches of one pass (at `time`), in the outcomes' order, before the older ones.
    mutating func fold(_ outcomes: [ActionOutcome], at time: Date) {
        let new = outcomes.compactMap { LaunchFailure($0, at: time) }
        guard !new.isEmpty else { return }
        failures = Array((new + failures).prefix(Self.kept))
    }
}
