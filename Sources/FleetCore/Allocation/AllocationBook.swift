import Foundation

/// The allocation endpoint's books between two passes: the servers the last pass published, the
/// slots handed out on each since its newest good probe (reservations), the slots lent to followers
/// (with `ha`), and the index the next player is chosen from. A value, so serve's state holds it and
/// tests build one directly.
///
/// The reservation rule, in one place: a slot handed out stays taken until a probe newer than its
/// hand-out reports the server's room (that probe counts the player itself). Lent slots are off the
/// index until the follower reports them used (then they are reservations from that moment),
/// given back, or they expire.
public struct AllocationBook: Sendable {
    /// The published servers, in observation order.
    public private(set) var servers: [ObservedServer] = []
    /// `reservations[i]`: when each slot handed out on `servers[i]` since its newest good probe was
    /// handed out (an integer key on the hot path: no hashing of ARNs per allocation).
    public private(set) var reservations: [[Date]] = []
    /// Slots lent to followers, by server id, kept off the index.
    public private(set) var lent: [String: Int] = [:]
    private var spec: FleetSpec
    private var index: AllocationIndex

    public init(spec: FleetSpec) {
        self.spec = spec
        index = AllocationIndex(servers: [], spec: spec)
    }

    /// Free slots the index can still hand out.
    public var room: Int { index.room }

    /// One player's server, its slot reserved at `time`; the backup, or none, when no server has room.
    public mutating func allocate(at time: Date) -> Allocation {
        let (allocation, position) = index.allocate()
        if let position { reservations[position].append(time) }
        return allocation
    }

    /// Takes one slot off the index without reserving it, for a follower's loan: the server's
    /// position in ``servers``, or nil when none has room.
    public mutating func takeForLoan() -> Int? {
        index.allocate().serverIndex
    }

    /// The reservations `newer` (a newer observation of the fleet) does not confirm yet, by server
    /// id: those made after the server's newest good probe. Servers gone from `newer` lose theirs;
    /// servers with none are left out.
    public func unconfirmed(against newer: [ObservedServer]) -> [String: [Date]] {
        var held: [String: [Date]] = [:]
        for (i, times) in reservations.enumerated() where !times.isEmpty && i < servers.count {
            held[servers[i].id] = times
        }
        var kept: [String: [Date]] = [:]
        for server in newer {
            guard let times = held[server.id] else { continue }
            let probed = server.health.lastSuccessAt ?? .distantPast
            let left = times.filter { $0 > probed }
            if !left.isEmpty { kept[server.id] = left }
        }
        return kept
    }

    /// Takes a pass's observation: the reservations its probes confirm are dropped, the rest kept;
    /// `lent` stays off the index.
    public mutating func publish(_ newer: [ObservedServer], lent: [String: Int]) {
        let held = unconfirmed(against: newer)
        servers = newer
        reservations = newer.map { held[$0.id] ?? [] }
        self.lent = lent
        rebuild()
    }

    /// Counts slots a follower used (by server id) as handed out at `time`. The index is not rebuilt:
    /// call ``relend(_:)`` with what stays lent.
    public mutating func reserve(_ used: [String: Int], at time: Date) {
        for (i, server) in servers.enumerated() {
            guard let count = used[server.id], count > 0 else { continue }
            reservations[i] += Array(repeating: time, count: count)
        }
    }

    /// What is lent now (after a loan was settled, granted or expired): the index is rebuilt.
    public mutating func relend(_ lent: [String: Int]) {
        self.lent = lent
        rebuild()
    }

    /// A reloaded spec (strategy, backup, capacity or the current task definition may have changed),
    /// with what is lent now.
    public mutating func adopt(_ spec: FleetSpec, lent: [String: Int]) {
        self.spec = spec
        self.lent = lent
        rebuild()
    }

    /// Slots reserved since each server's newest good probe, by server id (servers with none left out).
    public func reservedSlots() -> [String: Int] {
        var slots: [String: Int] = [:]
        for (i, times) in reservations.enumerated() where !times.isEmpty && i < servers.count {
            slots[servers[i].id] = times.count
        }
        return slots
    }

    /// Reservations made since server `i`'s newest good probe.
    public func reserved(at i: Int) -> Int {
        i < reservations.count ? reservations[i].count : 0
    }

    private mutating func rebuild() {
        let reserved = lent.isEmpty ? reservations.map(\.count)
            : servers.indices.map { i in reservations[i].count + (lent[servers[i].id] ?? 0) }
        index = AllocationIndex(servers: servers, spec: spec, reserved: reserved)
    }
}
