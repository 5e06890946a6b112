import Foundation

/// The open demand window: the allocation answers counted since the last pass closed one. Serve's
/// ``FleetState`` and the simulator both keep one and close it at each pass's probe, so the
/// simulator produces the ``DemandSignal`` by the same code serve does.
public struct DemandWindow: Sendable, Equatable {
    /// The answers counted since ``start``.
    public private(set) var tally = AllocationTally()
    /// When the window opened: the process's start, then each close.
    public private(set) var start: Date

    public init(start: Date) {
        self.start = start
    }

    /// Counts one answer of the allocation endpoint.
    public mutating func count(_ allocation: Allocation) {
        tally.count(allocation)
    }

    /// Counts answers given elsewhere: a follower's, from the slots this leader lent it.
    public mutating func count(_ answers: AllocationTally) {
        tally.server += max(0, answers.server)
        tally.backup += max(0, answers.backup)
        tally.none += max(0, answers.none)
    }

    /// Closes the window at `time` with `reservedUnconfirmed` slots handed out that no probe
    /// confirms yet, and opens the next one there. A `time` before the start gives a window of no
    /// length (a clock that stepped back), never a negative one.
    public mutating func close(at time: Date, reservedUnconfirmed: Int) -> DemandSignal {
        let signal = DemandSignal(windowSeconds: max(0, time.timeIntervalSince(start)), tally: tally,
                                  reservedUnconfirmed: reservedUnconfirmed)
        tally = AllocationTally()
        start = time
        return signal
    }
}
