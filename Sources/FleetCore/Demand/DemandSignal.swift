import Foundation

/// What the allocation endpoint saw over one window: from the previous reconcile pass's observation
/// to this one's. It travels in ``ObservedState/demand`` so that `gamefleet plan --observed FILE`
/// replays a pass with the same inputs serve had.
///
/// A player sent to the backup or answered 503 is demand the fleet did not meet; `requests` counts
/// every player who asked, met or not.
public struct DemandSignal: Sendable, Equatable, Codable {
    /// How long the window lasted, in seconds (0 or more). The first window of a process runs from
    /// its start.
    public var windowSeconds: Double
    /// Every allocation request answered in the window: `allocations + backup + unavailable`.
    public var requests: Int
    /// Players sent to a gameserver.
    public var allocations: Int
    /// Players sent to the backup server because no gameserver had room.
    public var backup: Int
    /// Players answered 503: no room and no backup.
    public var unavailable: Int
    /// Slots handed out (in this window or earlier) that no probe has confirmed yet: the answers
    /// already counted in `allocations` whose players the servers' `available_capacity` does not
    /// show yet. Measured when the window closed.
    public var reservedUnconfirmed: Int

    /// A window of `windowSeconds` with the answers counted in `tally`.
    public init(windowSeconds: Double, tally: AllocationTally, reservedUnconfirmed: Int) {
        self.windowSeconds = windowSeconds
        self.requests = tally.requests
        self.allocations = tally.server
        self.backup = tally.backup
        self.unavailable = tally.none
        self.reservedUnconfirmed = reservedUnconfirmed
    }

    /// The answers as an ``AllocationTally`` (what the pass history keeps).
    public var tally: AllocationTally {
        AllocationTally(server: allocations, backup: backup, none: unavailable)
    }

    /// Requests per second over the window; nil for a window of no length.
    public var requestsPerSecond: Double? {
        windowSeconds > 0 ? Double(requests) / windowSeconds : nil
    }

    enum CodingKeys: String, CodingKey {
        case windowSeconds, requests, allocations, backup, unavailable, reservedUnconfirmed
    }

    /// Reads the JSON form, refusing negative counts, a negative or non-finite window, and a
    /// `requests` that is not the sum of the three answers, each with a message naming the field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        windowSeconds = try c.decode(Double.self, forKey: .windowSeconds)
        requests = try c.decode(Int.self, forKey: .requests)
        allocations = try c.decode(Int.self, forKey: .allocations)
        backup = try c.decode(Int.self, forKey: .backup)
        unavailable = try c.decode(Int.self, forKey: .unavailable)
        reservedUnconfirmed = try c.decode(Int.self, forKey: .reservedUnconfirmed)
        guard windowSeconds.isFinite, windowSeconds >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .windowSeconds, in: c, debugDescription: "must be 0 or more seconds, got \(windowSeconds)")
        }
        for (key, value) in [(CodingKeys.requests, requests), (.allocations, allocations), (.backup, backup),
                             (.unavailable, unavailable), (.reservedUnconfirmed, reservedUnconfirmed)] where value < 0 {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "must be 0 or more, got \(value)")
        }
        let (sum, overflow) = allocations.addingReportingOverflow(backup)
        let (total, overflow2) = sum.addingReportingOverflow(unavailable)
        guard !overflow, !overflow2, total == requests else {
            throw DecodingError.dataCorruptedError(
                forKey: .requests, in: c,
                debugDescription: "must equal allocations + backup + unavailable (\(overflow || overflow2 ? "too large" : String(total))), got \(requests)")
        }
    }
}
