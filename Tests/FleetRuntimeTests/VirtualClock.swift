import FleetCore
import Foundation
import Synchronization

/// A clock for tests whose time moves only when someone sleeps on it: a sleep ends at once, with the
/// clock advanced to its deadline. A loop driven by it runs a virtual minute in a blink, and the
/// number of passes it makes in that minute is exactly what the loop's own pauses allow.
final class VirtualClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let elapsed = Mutex(Duration.zero)
    let origin: Date
    /// Where time stops: a sleep past it parks at the horizon until the sleeper is cancelled, so a
    /// test can count what a loop did in exactly that much time.
    let horizon: Duration

    init(origin: Date, horizon: Duration = .seconds(1_000_000)) {
        self.origin = origin
        self.horizon = horizon
    }

    var now: Instant { Instant(offset: elapsed.withLock { $0 }) }
    var minimumResolution: Duration { .nanoseconds(1) }

    /// The wall-clock date the clock stands at.
    var date: Date { origin.addingTimeInterval(now.offset.seconds) }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        let parked = elapsed.withLock { elapsed in
            elapsed = max(elapsed, min(deadline.offset, horizon))
            return deadline.offset > horizon
        }
        if parked {
            while true { try await Task.sleep(for: .milliseconds(5)) }
        }
        await Task.yield()
        try Task.checkCancellation()
    }

    func advance(by duration: Duration) {
        elapsed.withLock { $0 += duration }
    }
}
