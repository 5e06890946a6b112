import Foundation

/// The servers that can take players, grouped by free room, so that an allocation costs O(log n)
/// instead of a scan of the fleet.
///
/// Built once per published pass (O(n log n)); each allocation takes one slot of the chosen server and
/// moves it one group down. It answers exactly as ``Allocator/choose(from:spec:reserved:)`` does with
/// the same reservations, tie-breaks included (the property tests hold the two together):
/// - only servers that ``Allocator/mayTakePlayers(_:)`` and that have room count;
/// - servers running the spec's task definition first; outdated ones only when no current one has room;
/// - `packed` takes the fullest server with room, `spread` the emptiest; equal room goes to the
///   smallest id.
///
/// What is compared per server (current or outdated task definition, the id order) is settled when
/// the index is built, so an allocation compares integers only.
public struct AllocationIndex: Sendable {
    /// Per eligible server, in id order (the position is the tie-break rank).
    public private(set) var entries: [Entry]
    let strategy: AllocationStrategy
    let backup: HostPort?
    var current: Groups
    var outdated: Groups

    /// One server the index may choose.
    public struct Entry: Sendable, Equatable {
        /// Where the server sits in the observation the index was built from.
        public var serverIndex: Int
        public var id: String
        public var address: HostPort
        /// Free slots less the slots reserved since its last probe; 0 once full.
        public var room: Int
    }

    /// Builds the index from a published observation. `reserved[i]` is the number of slots handed out
    /// since server `i`'s last good probe (missing entries count as 0).
    public init(servers: [ObservedServer], spec: FleetSpec, reserved: [Int] = []) {
        let capacity = max(spec.gameserver.capacity, 1)
        let currentTask = spec.taskDefinition
        strategy = spec.allocation.strategy
        backup = spec.allocation.backup
        var eligible: [(index: Int, room: Int, isCurrent: Bool)] = []
        eligible.reserveCapacity(servers.count)
        for i in servers.indices where Allocator.mayTakePlayers(servers[i]) {
            let free = min(max(servers[i].health.availableCapacity ?? 0, 0), capacity)
            let room = free - (i < reserved.count ? reserved[i] : 0)
            guard room > 0 else { continue }
            eligible.append((i, room, servers[i].taskDefinition == currentTask))
        }
        // The id order is the tie-break, as in the scan (String's `<`); see IDOrder for the cost.
        Self.sortByID(&eligible, servers)
        entries = eligible.map { Entry(serverIndex: $0.index, id: servers[$0.index].id, address: servers[$0.index].address!, room: $0.room) }
        current = Groups(capacity: capacity)
        outdated = Groups(capacity: capacity)
        for (rank, e) in eligible.enumerated() {
            if e.isCurrent { current.insert(rank: rank, room: e.room) } else { outdated.insert(rank: rank, room: e.room) }
        }
    }

    static func sortByID(_ eligible: inout [(index: Int, room: Int, isCurrent: Bool)], _ servers: [ObservedServer]) {
        let order = IDOrder.sortedPositions(eligible.map { servers[$0.index].id })
        eligible = order.map { eligible[$0] }
    }

    /// The server the next allocation would get, without taking its slot.
    public func peek() -> Allocation {
        guard let rank = current.best(strategy) ?? outdated.best(strategy) else {
            return backup.map { .backup($0) } ?? .none
        }
        return .server(id: entries[rank].id, address: entries[rank].address)
    }

    /// Chooses a server for one player and takes one of its slots. Returns the allocation and, when it
    /// is a server, its position in the observation (for the caller's reservation book).
    public mutating func allocate() -> (Allocation, serverIndex: Int?) {
        let rank: Int
        if let r = current.best(strategy) {
            rank = r
            current.takeOne(rank: r, room: entries[r].room, strategy)
        } else if let r = outdated.best(strategy) {
            rank = r
            outdated.takeOne(rank: r, room: entries[r].room, strategy)
        } else {
            return (backup.map { .backup($0) } ?? .none, nil)
        }
        entries[rank].room -= 1
        return (.server(id: entries[rank].id, address: entries[rank].address), entries[rank].serverIndex)
    }

    /// Servers grouped by room: `rooms[r]` is a min-heap of the ranks (id order) of servers with `r`
    /// free slots. The chosen server is always its group's smallest rank, so taking a slot pops it and
    /// pushes it one group down.
    struct Groups: Sendable {
        var rooms: [MinHeap]
        /// Smallest and largest room with a server, or nil when empty. Kept exact.
        var lowest: Int?
        var highest: Int?

        init(capacity: Int) {
            rooms = Array(repeating: MinHeap(), count: capacity + 1)
        }

        mutating func insert(rank: Int, room: Int) {
            rooms[room].push(Int32(rank))
            lowest = min(lowest ?? room, room)
            highest = max(highest ?? room, room)
        }

        func best(_ strategy: AllocationStrategy) -> Int? {
            guard let room = strategy == .packed ? lowest : highest else { return nil }
            return rooms[room].min.map(Int.init)
        }

        mutating func takeOne(rank: Int, room: Int, _ strategy: AllocationStrategy) {
            let popped = rooms[room].popMin()
            assert(popped == Int32(rank))
            if room > 1 {
                rooms[room - 1].push(Int32(rank))
                lowest = min(lowest!, room - 1)
            }
            // Keep the bounds exact. Only the group just emptied can move them, and only towards the
            // other bound, so the walks are short on average.
            if rooms[room].isEmpty {
                if lowest == room {
                    var r = room
                    while r <= (highest ?? 0) && rooms[r].isEmpty { r += 1 }
                    lowest = r <= (highest ?? 0) ? r : nil
                }
                if highest == room {
                    var r = room
                    while r >= 1 && rooms[r].isEmpty { r -= 1 }
                    highest = r >= 1 ? r : nil
                }
                if highest == nil { lowest = nil }
            }
        }
    }
}

extension AllocationIndex {
    /// An index over slots a follower was lent: each server's room is what it holds of it, current
    /// servers before outdated ones, by the fleet's strategy and the same id tie-break, so a
    /// follower hands out its loan as the leader would hand out its own books.
    /// Servers with no slots left are not indexed; `capacity` bounds a server's room (larger
    /// counts are cut to it).
    public init(lent: [LentSlots], strategy: AllocationStrategy, backup: HostPort?, capacity: Int) {
        let capacity = max(capacity, 1)
        self.strategy = strategy
        self.backup = backup
        let held = lent.filter { $0.count > 0 }
        let order = IDOrder.sortedPositions(held.map(\.server))
        let sorted = order.map { held[$0] }
        entries = sorted.enumerated().map { Entry(serverIndex: $0.offset, id: $0.element.server, address: $0.element.address, room: min($0.element.count, capacity)) }
        current = Groups(capacity: capacity)
        outdated = Groups(capacity: capacity)
        for (rank, slots) in sorted.enumerated() {
            if slots.current { current.insert(rank: rank, room: entries[rank].room) } else { outdated.insert(rank: rank, room: entries[rank].room) }
        }
    }

    /// Slots left in the index, all servers together.
    public var room: Int { entries.reduce(0) { $0 + $1.room } }
}

/// A binary min-heap of ranks.
struct MinHeap: Sendable {
    private var items: [Int32] = []

    var isEmpty: Bool { items.isEmpty }
    var min: Int32? { items.first }

    mutating func push(_ value: Int32) {
        items.append(value)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func popMin() -> Int32? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count && items[left] < items[smallest] { smallest = left }
                if right < items.count && items[right] < items[smallest] { smallest = right }
                guard smallest != parent else { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
