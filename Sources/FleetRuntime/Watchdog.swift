import FleetCore
import Foundation

/// Says whether the reconcile loop still makes progress: `/readyz` answers 503 with
/// ``Readiness/reason`` when no pass has ended within ``limit(for:)``.
///
/// A pass that ended counts whether it observed the fleet or could not (the provider was
/// unreachable: that pass is reported by `lastPassError`): the watchdog is about a loop that stopped
/// turning, not about a provider that is down.
public enum Watchdog {
    /// What `/readyz` answers.
    public struct Readiness: Sendable, Equatable {
        /// True when allocations may be sent here.
        public var ready: Bool
        /// `ready`, `waiting for the first reconcile pass` or `stalled`.
        public var status: String
        /// Why it is not ready, in words for people; nil when ready.
        public var reason: String?
    }

    /// The longest a healthy loop goes without ending a pass: three intervals plus one probe
    /// timeout, so one slow pass or a late timer never trips it.
    public static func limit(for health: HealthSpec) -> Duration {
        health.interval * 3 + health.timeout
    }

    /// Judges the loop at `now` from when its last pass ended (nil: no pass has ended yet) and, for
    /// the first pass, from when the loop started: a first pass that never ends is a stall too.
    public static func readiness(lastPassEndedAt: Date?, startedAt: Date? = nil, health: HealthSpec, now: Date) -> Readiness {
        let limit = limit(for: health)
        guard let ended = lastPassEndedAt else {
            if let startedAt, now.timeIntervalSince(startedAt) > limit.seconds {
                let ageText = String(format: "%.1fs", now.timeIntervalSince(startedAt))
                return Readiness(
                    ready: false, status: "stalled",
                    reason: "the first reconcile pass has not completed \(ageText) after start; the limit is 3 × interval + timeout = \(DurationText.format(limit))")
            }
            return Readiness(ready: false, status: "waiting for the first reconcile pass", reason: nil)
        }
        let age = now.timeIntervalSince(ended)
        guard age > limit.seconds else { return Readiness(ready: true, status: "ready", reason: nil) }
        let stamp = ended.formatted(.iso8601)
        let ageText = String(format: "%.1fs", age)
        return Readiness(
            ready: false, status: "stalled",
            reason: "the reconcile loop has not completed a pass for \(ageText) (last at \(stamp)); the limit is 3 × interval + timeout = \(DurationText.format(limit)). Allocations are answered from the last pass's view of the fleet.")
    }
}
