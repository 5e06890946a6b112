import Foundation
import TestSupport
import Testing

/// Runs the built `gamefleet` binary the way a user would, from the package root.
struct CLIRunner {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The package root: this file is Tests/GamefleetCLITests/CLIRunner.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `gamefleet` binary, which SwiftPM builds beside the test bundle because this test target
    /// depends on it.
    static func binary() throws -> URL {
        var directories = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
                           URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        let candidates = directories.map { $0.appendingPathComponent("gamefleet").standardizedFileURL }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CLIError(message: "gamefleet binary not found; tried \(candidates.map(\.path))")
        }
        return found
    }

    struct CLIError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Runs gamefleet with `arguments` and waits for it to exit, on a thread of its own: a test
    /// that waited for a child process on the cooperative pool would stall every other test.
    static func run(_ arguments: [String], environment: [String: String]? = nil) async throws -> Result {
        try await offThePool { try runBlocking(arguments, environment: environment) }
    }

    private static func runBlocking(_ arguments: [String], environment: [String: String]?) throws -> Result {
        let finished = try Spawn.run(try binary().path, arguments, environment: environment, directory: packageRoot.path)
        return Result(status: finished.status, stdout: String(decoding: finished.stdout, as: UTF8.self),
                      stderr: String(decoding: finished.stderr, as: UTF8.self))
    }
}
