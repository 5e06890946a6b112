import Foundation

/// An executable SwiftPM built beside the test bundle because this test target depends on it
/// (`gamefleet`, `sample-gameserver`). Found the way the CLI and gameserver tests find theirs.
enum BuiltProduct {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// The absolute path of `name`, or an error listing every place tried.
    static func path(_ name: String) throws -> String {
        var directories = [
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ]
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
        }
        var candidates: [String] = []
        for directory in directories {
            let candidate = directory.appendingPathComponent(name).standardizedFileURL.path
            if !candidates.contains(candidate) { candidates.append(candidate) }
        }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Missing(description: "\(name) binary not found; tried \(candidates.joined(separator: ", "))")
        }
        return found
    }
}
