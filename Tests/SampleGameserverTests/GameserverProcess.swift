import Foundation
import TestSupport
import Glibc

/// A real `sample-gameserver` child process, started on a free 127.0.0.1 port for one test.
///
/// Tests call `stop()` in a `defer`, so a failing test does not leave a server behind.
final class GameserverProcess {
    /// Port the server listens on.
    let port: UInt16
    /// Players it was started with.
    let capacity: Int
    private let process: Child
    private let stderr: StderrReader

    /// Starts a server with `capacity` and waits for its listening line (up to 60 s: generous, the
    /// whole suite may be running beside it; a server that never listens still fails the test).
    /// A port picked free can be taken by another test before the server binds it, so a start
    /// that fails with "address already in use" is retried on a new port a few times.
    static func start(capacity: Int) async throws -> GameserverProcess {
        var lastError: Error = TestFailure("never tried")
        for _ in 0..<3 {
            let port = UInt16(try LoopbackPorts.free())
            let process = try launch(["--port", "\(port)", "--capacity", "\(capacity)", "--name", "test"])
            do {
                try await process.stderr.waitForLine(containing: "listening on 127.0.0.1:\(port) capacity \(capacity)", within: .seconds(60))
                return GameserverProcess(port: port, capacity: capacity, process: process.process, stderr: process.stderr)
            } catch {
                lastError = error
                if process.process.isRunning {
                    kill(process.process.processIdentifier, SIGKILL)
                }
                _ = await waitForExit(process.process, within: .seconds(60))
                guard process.stderr.text.contains("address already in use") else { throw error }
            }
        }
        throw lastError
    }

    /// Runs the binary with `arguments` and waits for it to exit (up to 60 s), for command lines
    /// that should be refused. Returns the exit status and what it printed on stderr.
    static func runToExit(_ arguments: [String]) async throws -> (status: Int32, stderr: String) {
        let launched = try launch(arguments)
        guard let status = await waitForExit(launched.process, within: .seconds(60)) else {
            if launched.process.isRunning {
                kill(launched.process.processIdentifier, SIGKILL)
            }
            _ = await waitForExit(launched.process, within: .seconds(60))
            throw TestFailure("sample-gameserver \(arguments) did not exit within 60 s")
        }
        launched.stderr.readAvailable(within: .milliseconds(500))
        return (status, launched.stderr.text)
    }

    private init(port: UInt16, capacity: Int, process: Child, stderr: StderrReader) {
        self.port = port
        self.capacity = capacity
        self.process = process
        self.stderr = stderr
    }

    /// Everything the server has printed on stderr that has been read so far.
    var stderrText: String {
        stderr.readAvailable(within: .zero)
        return stderr.text
    }

    /// Sends `signal` to the server.
    func send(signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// The exit status once the process has exited by calling `exit`, waiting up to `limit`;
    /// nil if it is still running then. Death by a signal is reported as `128 + signal`.
    func exitStatus(within limit: Duration) async -> Int32? {
        await Self.waitForExit(process, within: limit)
    }

    /// Stops the server if it is still running, without waiting: SIGKILL. Safe to call twice, and
    /// from a `defer` (its status is collected by the next look at it, or by nobody: a zombie until the test process ends).
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
    }

    /// Polls asleep (no thread of the cooperative pool is held) until `process` exits or `limit` passes.
    private static func waitForExit(_ process: Child, within limit: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
        let status = process.terminationStatus
        return process.terminationReason == .exit ? status : 128 + status
    }

    private static func launch(_ arguments: [String]) throws -> (process: Child, stderr: StderrReader) {
        let process = try Child.start(try binaryURL().path, arguments, stderr: .pipe)
        return (process, StderrReader(process.standardError!))
    }

    /// The built `sample-gameserver`, which SwiftPM puts in the same directory as the test binary.
    /// Fails with every path tried, so a missing build says where it was looked for.
    static func binaryURL() throws -> URL {
        var directories = [
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ]
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
        }
        var candidates: [URL] = []
        for directory in directories {
            let candidate = directory.appendingPathComponent("sample-gameserver").standardizedFileURL
            if !candidates.contains(candidate) {
                candidates.append(candidate)
            }
        }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return found
        }
        throw TestFailure("sample-gameserver binary not found; tried: \(candidates.map(\.path).joined(separator: ", "))")
    }

}
