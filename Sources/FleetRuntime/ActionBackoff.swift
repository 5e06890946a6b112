import FleetCore
import Foundation

/// How long each kind of action waits after failing, so a launch that fails every time (a command
/// that exits at once, ECS out of capacity, RunTask answering 500) does not turn the loop into a busy
/// loop of passes, logs and API calls.
///
/// Per kind: after `n` failed passes in a row the kind waits `base × 2^(n-1)`, capped at the loop's
/// interval, with "equal jitter" (half the wait fixed, half random) so fleets that failed together do
/// not retry together. A pass in which any action of the kind succeeds ends its backoff. The planner
/// knows nothing of this; the loop asks ``wait(for:at:)`` before it requeues a pass at once.
public struct ActionBackoff: Sendable {
    /// One kind that is backing off: what `/v1/fleet` shows under `backoff`.
    public struct Entry: Sendable, Equatable, Codable {
        public var kind: Action.Kind
        /// Passes in a row in which every action of this kind failed.
        public var consecutiveFailures: Int
        /// No pass is requeued for this kind before then.
        public var nextAttemptAt: Date
        /// The last failure, in the provider's words.
        public var lastError: String
    }

    /// The first wait; later ones double up to the cap.
    public let base: Duration
    /// A number in `0..<1` for the random half of each wait.
    let jitter: @Sendable () -> Double
    /// Kinds backing off now; a kind is absent once it succeeds.
    public private(set) var entries: [Action.Kind: Entry] = [:]

    public init(base: Duration = .seconds(1), jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.base = base
        self.jitter = jitter
    }

    /// Folds one pass's outcomes in: a kind with failures and no success backs off longer, a kind
    /// with a success is cleared. Kinds the pass did not try keep their state.
    public mutating func record(_ outcomes: [ActionOutcome], at now: Date, cap: Duration) {
        let byKind = Dictionary(grouping: outcomes, by: \.action.kind)
        for (kind, outcomes) in byKind {
            if outcomes.contains(where: \.succeeded) {
                entries[kind] = nil
                continue
            }
            guard let error = outcomes.last(where: { !$0.succeeded })?.error else { continue }
            let failures = (entries[kind]?.consecutiveFailures ?? 0) + 1
            let wait = delay(afterFailures: failures, cap: cap)
            entries[kind] = Entry(kind: kind, consecutiveFailures: failures, nextAttemptAt: now.addingTimeInterval(wait.seconds), lastError: error)
        }
    }

    /// The wait after `failures` failures in a row (at least 1): `base × 2^(failures-1)` capped at
    /// `cap`, of which the upper half is random. Never more than `cap`, never negative.
    public func delay(afterFailures failures: Int, cap: Duration) -> Duration {
        let cap = max(cap, .zero)
        // 2^30 seconds is decades: past that the cap always wins, and the shift cannot overflow.
        let doubled = base * (1 << min(max(failures - 1, 0), 30))
        let full = min(doubled, cap)
        let random = min(max(jitter(), 0), 1)
        return full / 2 + (full / 2) * random
    }

    /// How long a pass planning `kinds` should wait for them: the longest remaining backoff among
    /// them, zero when none is backing off.
    public func wait(for kinds: Set<Action.Kind>, at now: Date) -> Duration {
        var longest: Duration = .zero
        for kind in kinds {
            guard let entry = entries[kind] else { continue }
            let left = entry.nextAttemptAt.timeIntervalSince(now)
            if left > 0 { longest = max(longest, .milliseconds(Int64((left * 1000).rounded(.up)))) }
        }
        return longest
    }

    /// The kinds backing off, in a stable order (the order of ``Action/Kind``).
    public var snapshot: [Entry] {
        Action.Kind.allCases.compactMap { entries[$0] }
    }
}
