import FleetCore
import Foundation

/// fleet.yaml as a file on this machine: read whole at every fetch (a file has no version; the
/// watcher tells versions apart by the hash of the bytes).
public struct FileConfigSource: ConfigSource {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var location: ConfigLocation { .file(path) }

    public func fetch(unlessVersion known: String?) throws(ConfigSourceError) -> ConfigDocument? {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigSourceError(location: location, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        return ConfigDocument(bytes: Array(data), version: nil)
    }
}
