// Allocation/: which gameserver a player gets: the reference rule (Allocator.choose), the index
// serve allocates through (AllocationIndex), and the per-client token bucket.

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
        let strategy = spec.allocation.strategy
        // Indices rather than copies: this runs once per player, over the whole fleet.
        var best = -1, bestRoom = 0
        var bestOutdated = -1, bestOutdatedRoom = 0
        servers.withUnsafeBufferPointer { buffer in
            for i in buffer.indices {
                guard mayTakePlayers(buffer[i]) else { continue }
                let health = buffer[i].health
                let free = min(max(health.availableCapacity ?? 0, 0), capacity)
                let room = reserved.isEmpty ? free : free - (reserved[buffer[i].id] ?? 0)
                guard room > 0 else { continue }
                if buffer[i].taskDefinition == currentTask {
                    if best < 0 || better(room, buffer[i].id, than: bestRoom, buffer[best].id, strategy) { best = i; bestRoom = room }
                } else {
                    if bestOutdated < 0 || better(room, buffer[i].id, than: bestOutdatedRoom, buffer[bestOutdated].id, strategy) {
                        bestOutdated = i; bestOutdatedRoom = room
                    }
                }
            }
        }
        let pick = best >= 0 ? best : bestOutdated
        if pick >= 0, let address = servers[pick].address {
            return .server(id: servers[pick].id, address: address)
        }
        if let backup = spec.allocation.backup { return .backup(backup) }
        return .none
    }

    /// May this server be given new players at all (room aside)? Running, not in standby, with an
    /// address, and its last probe answered. The one place this rule is written: the allocation
    /// index, the server list and the simulator all ask here.
    @inline(__always)
    public static func mayTakePlayers(_ server: ObservedServer) -> Bool {
        server.lifecycle == .running && !server.standby && server.address != nil
            && server.health.lastSuccessAt != nil && server.health.consecutiveFailures == 0
    }

    private static func better(_ room: Int, _ id: String, than currentRoom: Int, _ currentID: String, _ strategy: AllocationStrategy) -> Bool {
        if room == currentRoom { return id < currentID }
        switch strategy {
        case .packed: return room < currentRoom
        case .spread: return room > currentRoom
        }
    }
}
