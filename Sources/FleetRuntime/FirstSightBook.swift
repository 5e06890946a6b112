import FleetCore
import Foundation

/// When this gamefleet process first saw each server, kept across passes beside the
/// ``HealthBook``. It fills in ``ObservedServer/firstSeenAt``, from which the planner counts
/// `startupGrace`, so a server found running after a restart gets its probes before it is judged.
public struct FirstSightBook: Sendable, Equatable {
    public private(set) var firstSeen: [String: Date] = [:]

    public init() {}

    /// Stamps each server with its first sight, recording `time` for servers not seen before (or
    /// the provider's own first sight when it gave an earlier one), and forgets servers that are gone.
    public mutating func stamp(_ servers: [ObservedServer], at time: Date) -> [ObservedServer] {
        var kept: [String: Date] = [:]
        kept.reserveCapacity(servers.count)
        let stamped = servers.map { server -> ObservedServer in
            var server = server
            let seen = firstSeen[server.id] ?? min(server.firstSeenAt ?? time, time)
            kept[server.id] = seen
            server.firstSeenAt = seen
            return server
        }
        firstSeen = kept
        return stamped
    }
}
