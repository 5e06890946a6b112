import FleetCore

/// What the allocation endpoint knows between two probes, and how the simulation asks the real
/// ``FleetCore/Allocator`` with it quickly.
///
/// `serve` calls `Allocator.choose(from: allServers, spec:, reserved:)` once per player: O(servers)
/// per call, which is nothing for one site's players but millions of calls times a thousand servers
/// in a week-long simulation. Three things make it cheap here without changing a single decision:
/// - **Reservations are folded into the copies.** A slot reserved on a server is taken off that
///   server's copy's `availableCapacity` instead of going into `reserved`; the allocator documents
///   reserved slots as taken, so it sees the same room either way.
/// - **Only servers it may pick are handed over.** The allocator documents that it chooses among
///   servers that are running, active (not standby) and answering, with room; the others (starting,
///   parked, failing, full) are left out, since it would pass them by.
/// - **A tournament.** The allocator picks the best server by its strategy, a choice that depends on
///   each server alone, so the best of all is the best of the groups' bests. Candidates sit in
///   groups of ``arity``, each group's best goes up into a group of the level above, and so on to one
///   group at the top. A reservation changes one server, so only the groups on its way to the top
///   are asked again: O(log servers) small calls per player instead of one call over every server.
/// Every choice is still made by `Allocator.choose`. With `verify`, each answer is also checked
/// against the direct call `serve` makes (all servers, reservations passed as `reserved`), and a
/// difference is counted in ``mismatches``; the tests run that way.
struct AllocatorView {
    /// Members per group. Measured: 4, 8 and 16 cost the same per player; eight keeps levels few.
    static let arity = 8

    private let spec: FleetSpec
    private let verify: Bool

    /// `levels[0]` holds the candidates in groups; member `m` of group `g` at level `l + 1` is the best
    /// of group `g × arity + m` at level `l` (or a copy with no room when that group has none left).
    /// The last level has one group.
    private var levels: [[[ObservedServer]]] = []
    /// The member the allocator picked in each group, by level; -1 when it picked none.
    private var picks: [[Int]] = []

    // Only kept when verifying: the probed fleet and the reservations, as serve would pass them.
    private var probed: [ObservedServer] = []
    private var reserved: [String: Int] = [:]
    /// Answers that differed from the direct call; always 0 unless the allocator's choice stopped
    /// being a pick of the best server by a per-server order.
    private(set) var mismatches = 0

    init(spec: FleetSpec, verify: Bool) {
        self.spec = spec
        self.verify = verify
    }

    /// Takes a newly published observation: `servers` is the whole fleet as the pass probed it, and
    /// `reservedSinceProbe[i]` the slots handed out on server `i` since its probe answered (serve keeps
    /// the reservations newer than a server's last good probe and drops the rest).
    mutating func reset(servers: [ObservedServer], reservedSinceProbe: [Int]) {
        levels.removeAll(keepingCapacity: true)
        picks.removeAll(keepingCapacity: true)
        // By index, so the servers left out are looked at in place rather than copied.
        var groups: [[ObservedServer]] = []
        var group: [ObservedServer] = []
        group.reserveCapacity(Self.arity)
        for index in servers.indices where Self.mayBePicked(servers[index]) {
            let room = (servers[index].health.availableCapacity ?? 0) - reservedSinceProbe[index]
            guard room > 0 else { continue }
            group.append(servers[index])
            if reservedSinceProbe[index] > 0 { group[group.count - 1].health.availableCapacity = room }
            if group.count == Self.arity {
                groups.append(group)
                group = []
                group.reserveCapacity(Self.arity)
            }
        }
        if !group.isEmpty { groups.append(group) }
        while !groups.isEmpty {
            var levelPicks: [Int] = []
            levelPicks.reserveCapacity(groups.count)
            var above: [[ObservedServer]] = []
            var upper: [ObservedServer] = []
            upper.reserveCapacity(Self.arity)
            for members in groups {
                let pick = Self.pick(in: members, spec: spec)
                levelPicks.append(pick)
                upper.append(Self.standIn(members, pick))
                if upper.count == Self.arity {
                    above.append(upper)
                    upper = []
                    upper.reserveCapacity(Self.arity)
                }
            }
            if !upper.isEmpty { above.append(upper) }
            levels.append(groups)
            picks.append(levelPicks)
            if groups.count == 1 { break }
            groups = above
        }
        if verify {
            probed = servers
            reserved.removeAll()
            for index in servers.indices where reservedSinceProbe[index] > 0 {
                reserved[servers[index].id] = reservedSinceProbe[index]
            }
        }
    }

    /// Asks the allocator for one player's server and reserves a slot on it. Returns the server's id,
    /// or nil for the backup (or no server at all).
    mutating func allocate() -> String? {
        var chosen: String?
        if let top = levels.indices.last, picks[top][0] >= 0 {
            // Follow the picks down to the candidate that won.
            var group = 0
            var level = top
            while level > 0 {
                group = group * Self.arity + picks[level][group]
                level -= 1
            }
            let member = picks[0][group]
            chosen = levels[0][group][member].id
            let room = (levels[0][group][member].health.availableCapacity ?? 0) - 1
            if room > 0 {
                levels[0][group][member].health.availableCapacity = room
            } else if levels[0][group].count > 1 {
                // Full now, so the allocator would pass it by: asking about it again is wasted work.
                levels[0][group].remove(at: member)
            } else {
                levels[0][group][member].health.availableCapacity = 0
            }
            // Ask again on the way up; only the groups holding this server changed.
            for level in 0...top {
                let pick = Self.pick(in: levels[level][group], spec: spec)
                picks[level][group] = pick
                if level < top {
                    levels[level + 1][group / Self.arity][group % Self.arity] = Self.standIn(levels[level][group], pick)
                    group /= Self.arity
                }
            }
        }
        if verify {
            let direct: String?
            if case .server(let id, _) = Allocator.choose(from: probed, spec: spec, reserved: reserved) {
                direct = id
                reserved[id, default: 0] += 1
            } else {
                direct = nil
            }
            if direct != chosen { mismatches += 1 }
        }
        return chosen
    }

    /// False for a server the allocator's documented rules exclude: not running, parked, without an
    /// address, never answered or failing its probes, or with no room.
    static func mayBePicked(_ server: borrowing ObservedServer) -> Bool {
        Allocator.mayTakePlayers(server) && (server.health.availableCapacity ?? 0) > 0
    }

    /// The member of `members` the allocator picks, or -1 when it sends the player elsewhere.
    private static func pick(in members: [ObservedServer], spec: FleetSpec) -> Int {
        guard case .server(let id, _) = Allocator.choose(from: members, spec: spec) else { return -1 }
        return members.firstIndex(where: { $0.id == id }) ?? -1
    }

    /// What a group shows the level above: its pick, or a copy with no room that the allocator passes by.
    private static func standIn(_ members: [ObservedServer], _ pick: Int) -> ObservedServer {
        if pick >= 0 { return members[pick] }
        var empty = members[0]
        empty.health.availableCapacity = 0
        return empty
    }
}
