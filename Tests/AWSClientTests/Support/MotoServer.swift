import AWSClient
import Foundation
import TestSupport
import NIOCore
import NIOPosix

/// One `moto_server` process for the whole test run, started on first use on 127.0.0.1 at a
/// free port, and gone when the test process ends.
///
/// moto is not started directly but under a small shell that waits on a pipe from this process
/// and kills moto when the pipe closes. The kernel closes it when the test process exits, however
/// it exits (normally, by a failed precondition, by a signal), so no moto is left behind.
actor MotoServer {
    static let shared = MotoServer()

    /// Why moto could not be used; the message says how to fix it.
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    private var started: Result<String, Unavailable>?
    private var keepAlive: Pipe?
    private var process: Process?

    /// The base URL of the running server, e.g. `http://127.0.0.1:49152`, starting it if needed.
    /// - Throws: ``Unavailable`` when `moto_server` is not installed or does not come up; every
    ///   integration test then fails with that message.
    func url() async throws -> String {
        if let started {
            return try started.get()
        }
        let result: Result<String, Unavailable>
        do {
            result = .success(try await start())
        } catch let error as Unavailable {
            result = .failure(error)
        }
        started = result
        return try result.get()
    }

    private func start() async throws -> String {
        let environment = ProcessInfo.processInfo.environment
        guard let executable = Self.find("moto_server", in: environment["PATH"] ?? "") else {
            throw Unavailable(
                description: "moto_server is not installed (not found on PATH); the integration tests need it: pip install 'moto[server]'"
            )
        }
        let port = try LoopbackPorts.free()
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-moto-\(port).log").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // $0 is moto_server, $1 the port, $2 the log file. `read` returns when our end of the
        // pipe closes, which is when this process exits. The kill is SIGKILL because the child
        // inherits the test runner's signal mask, in which SIGTERM is blocked.
        process.arguments = [
            "-c", #""$0" -H 127.0.0.1 -p "$1" >"$2" 2>&1 & moto=$!; read _; kill -9 $moto"#,
            executable, String(port), logPath,
        ]
        let pipe = Pipe()
        process.standardInput = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.runAlone()
        } catch {
            throw Unavailable(description: "could not start \(executable): \(error)")
        }
        self.keepAlive = pipe
        self.process = process

        let url = "http://127.0.0.1:\(port)"
        let transport = AsyncHTTPClientTransport(borrowing: .shared)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let response = try? await transport.send(TransportRequest(method: "GET", url: url + "/moto-api/data.json"), timeout: .seconds(2)),
                response.status == 200
            {
                return url
            }
            if !process.isRunning {
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        throw Unavailable(description: "moto_server did not answer on \(url) within 60 s; its output:\n\(log.suffix(2000))")
    }

    /// The first executable file called `name` in the `:`-separated `path`.
    static func find(_ name: String, in path: String) -> String? {
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }

}
