import Foundation

/// Where the seasonal profile (``SeasonalProfile``) is kept between processes, so the bursts a
/// fleet learned survive a restart and a change of leader: the local provider's file beside its
/// state file (``DemandHistoryFile``), or for ECS with `ha` an item of the lease table every replica
/// reads (FleetECS's `DynamoDBDemandHistoryStore`). A profile is a few kilobytes at most (see
/// ``SeasonalProfile/limit``).
///
/// Errors are the caller's to log: a store that cannot be read or written costs the fleet its
/// memory of bursts, never a pass.
public protocol DemandHistoryStore: Sendable {
    /// The profile last saved; nil when none was.
    func load() async throws -> SeasonalProfile?
    /// Replaces the saved profile.
    func save(_ profile: SeasonalProfile) async throws
    /// Where it is kept, for log lines.
    var location: String { get }
}

extension SeasonalProfile {
    /// The JSON form the stores keep: keys sorted, dates ISO 8601.
    public func storedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads ``storedJSON()``.
    public static func stored(_ data: Data) throws -> SeasonalProfile {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(SeasonalProfile.self, from: data)
    }
}

