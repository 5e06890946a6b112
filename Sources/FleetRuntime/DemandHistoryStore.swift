import FleetCore
import Foundation

/// Where the seasonal profile (``SeasonalProfile``) is kept between processes, so the bursts a
/// fleet learned survive a restart and a change of leader: the local provider's file beside its
/// state file (``DemandHistoryFile``), or for ECS with `ha` an item of the lease table every replica
/// reads (`DynamoDBDemandHistoryStore`). A profile is a few kilobytes at most (see
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

/// The local provider's demand history: one JSON file beside its state file
/// (`.gamefleet/<name>.demand.json` by default), replaced whole at each save (temporary file, then
/// rename). Kept apart from the state file because the two live differently: the state file lists
/// running processes and is removed by a graceful shutdown, while the history must outlive it.
public struct DemandHistoryFile: DemandHistoryStore {
    public let path: URL

    public init(path: URL) {
        self.path = path
    }

    /// The file beside a local state file: `X.state.json` → `X.demand.json`, any other name gets
    /// `.demand.json` appended.
    public static func beside(stateFile: URL) -> URL {
        let name = stateFile.lastPathComponent
        let base = name.hasSuffix(".state.json") ? String(name.dropLast(".state.json".count)) : name
        return stateFile.deletingLastPathComponent().appendingPathComponent(base + ".demand.json")
    }

    public var location: String { path.path }

    public func load() async throws -> SeasonalProfile? {
        guard let data = FileManager.default.contents(atPath: path.path) else { return nil }
        return try SeasonalProfile.stored(data)
    }

    public func save(_ profile: SeasonalProfile) async throws {
        try LocalStateFile(path: path).write(profile.storedJSON())
    }
}
