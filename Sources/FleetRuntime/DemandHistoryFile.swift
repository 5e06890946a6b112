import FleetCore
import Foundation

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
