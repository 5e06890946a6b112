import Foundation

/// What one reconcile pass looked like, in a few numbers: the status page's chart and
/// `GET /v1/history` are made of these.
public struct PassSummary: Sendable, Equatable, Codable {
    /// When the pass observed the fleet.
    public var at: Date
    public var freeSlots: Int
    public var upscaleMargin: Int
    public var downscaleMargin: Int
    public var servers: Int
    public var active: Int
    public var standby: Int
    public var starting: Int
    public var unhealthy: Int
    /// Actions the pass planned, by kind (`launch`, `stop`, `standby`, `activate`); applied or not.
    public var planned: [String: Int]
    /// Of those, how many failed when applied (0 in a dry run, where nothing is applied).
    public var failed: Int
    public var durationMs: Double
    /// The plan's actions as `gamefleet plan` prints them (kind, target, reason); empty when none.
    public var actions: [String]
    /// What the allocation endpoint answered since the previous pass.
    public var allocations: AllocationTally

    public init(at: Date, summary: Plan.Summary, plan: Plan, failed: Int, durationMs: Double,
                allocations: AllocationTally = AllocationTally()) {
        self.at = at
        freeSlots = summary.freeSlots
        upscaleMargin = summary.upscaleMargin
        downscaleMargin = summary.downscaleMargin
        servers = summary.servers
        active = summary.active
        standby = summary.standby
        starting = summary.starting
        unhealthy = summary.unhealthy
        var counts: [String: Int] = [:]
        for action in plan.actions { counts[action.kind.rawValue, default: 0] += 1 }
        planned = counts
        self.failed = failed
        self.durationMs = durationMs
        self.actions = plan.actions.map(PlanTextRenderer.line)
        self.allocations = allocations
    }
}

/// Allocation answers counted over a span of time (between two passes).
public struct AllocationTally: Sendable, Equatable, Codable {
    /// Players sent to a gameserver.
    public var server: Int
    /// Players sent to the backup server because no gameserver had room.
    public var backup: Int
    /// Players answered 503: no room and no backup.
    public var none: Int

    public init(server: Int = 0, backup: Int = 0, none: Int = 0) {
        self.server = server
        self.backup = backup
        self.none = none
    }

    /// Every allocation request counted.
    public var requests: Int { server + backup + none }

    /// Counts one answer.
    public mutating func count(_ allocation: Allocation) {
        switch allocation {
        case .server: server += 1
        case .backup: backup += 1
        case .none: none += 1
        }
    }
}

/// The last passes, oldest first, in a ring of fixed size: memory stays bounded however long
/// gamefleet runs.
public struct PassHistory: Sendable, Equatable {
    /// Most summaries kept.
    public let limit: Int
    private var ring: [PassSummary] = []
    private var next = 0

    /// `limit` below 1 keeps one.
    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    public mutating func append(_ summary: PassSummary) {
        if ring.count < limit {
            ring.append(summary)
        } else {
            ring[next] = summary
        }
        next = (next + 1) % limit
    }

    /// Every kept summary, oldest first; with `since`, only those observed after it.
    public func summaries(since: Date? = nil) -> [PassSummary] {
        let ordered = ring.count < limit ? ring : Array(ring[next...] + ring[..<next])
        guard let since else { return ordered }
        return ordered.filter { $0.at > since }
    }

    public var count: Int { ring.count }
}
