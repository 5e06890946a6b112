import Foundation
import Synchronization

/// A settable wall clock for credentials expiry tests.
final class TestDate: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// A `now` closure reading this clock.
    var closure: @Sendable () -> Date {
        { [self] in now }
    }
}
