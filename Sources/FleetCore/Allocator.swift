import Foundation

/// Where one player is sent.
public enum Allocation: Sendable, Equatable {
    /// A gameserver with room.
    case server(id: String, address: HostPort)
    /// No gameserver had room: the configured backup server.
    case backup(HostPort)
    /// No gameserver had room and no backup is configured.
    case none
}

/// Picks a gameserver for a player. Pure: the caller keeps the reservations (slots handed out since a
/// server's last probe) and passes them in, so a burst between probes is spread over the fleet.
public enum Allocator {
    /// Chooses by the spec's strategy among servers that are running, active (not standby), current,
    /// and whose last probe answered; a server running another task definition is used only when no
    /// current server has room. `reserved[id]` slots are treated as taken.
    public static func choose(
        from servers: [ObservedServer], spec: FleetSpec, reserved: [String: Int] = [:]
    ) -> Allocation {
        let capacity = spec.gameserver.capacity
        let currentTask = spec.taskDefinition
        var best: (server: ObservedServer, room: Int)?
        var bestOutdated: (server: ObservedServer, room: Int)?
        for server in servers {
            guard server.lifecycle == .running, !server.standby, server.address != nil,
                  server.health.hasAnswered, server.health.consecutiveFailures == 0 else { continue }
            let free = min(max(server.health.availableCapacity ?? 0, 0), capacity)
            let room = free - (reserved[server.id] ?? 0)
            guard room > 0 else { continue }
            if server.taskDefinition == currentTask {
                if better(room, server.id, than: best, spec.allocation.strategy) { best = (server, room) }
            } else {
                if better(room, server.id, than: bestOutdated, spec.allocation.strategy) { bestOutdated = (server, room) }
            }
        }
        if let pick = best ?? bestOutdated, let address = pick.server.address {
            return .server(id: pick.server.id, address: address)
        }
        if let backup = spec.allocation.backup { return .backup(backup) }
        return .none
    }

    private static func better(
        _ room: Int, _ id: String, than current: (server: ObservedServer, room: Int)?, _ strategy: AllocationStrategy
    ) -> Bool {
        guard let current else { return true }
        if room == current.room { return id < current.server.id }
        switch strategy {
        case .packed: return room < current.room
        case .spread: return room > current.room
        }
    }
}
