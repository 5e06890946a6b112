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
    /// The shell watching this process's lifeline (its stdin), and moto under it.
    private var process: Child?

    /// The base URL of the running server, e.g. `http://127.0.0.1:49152`, starting it if needed.
    /// - Throws: ``Unavailable`` when `moto_server` is not installed or does not come up; every
    ///   integration test then fails with that message.
    func url() async throws -> String {
        if let started {
            return try started.get()
        }
        // One launch, which concurrent first callers all wait for (the actor gives up its turn at
        // each await; without this each started a moto, and a replaced one's lifeline closed).
        if starting == nil {
            starting = Task {
                do { return .success(try await start()) } catch let error as Unavailable { return .failure(error) } catch {
                    return .failure(Unavailable(description: "\(error)"))
                }
            }
        }
        let result = await starting!.value
        started = result
        return try result.get()
    }

    private var starting: Task<Result<String, Unavailable>, Never>?

    private func start() async throws -> String {
        let environment = ProcessInfo.processInfo.environment
        guard let executable = Self.find("moto_server", in: environment["PATH"] ?? "") else {
            throw Unavailable(
                description: "moto_server is not installed (not found on PATH); the integration tests need it: pip install 'moto[server]'"
            )
        }
        let port = try LoopbackPorts.free()
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-moto-\(port).log").path
        let process: Child
        do {
            process = try Child.moto(executable: executable, port: port, log: logPath)
        } catch {
            throw Unavailable(description: "could not start \(executable): \(error)")
        }
        self.process = process

        let url = "http://127.0.0.1:\(port)"
        let transport = AsyncHTTPClientTransport(borrowing: .shared)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let response = try? await transport.send(TransportRequest(method: "GET", url: url + "/moto-api/data.json"), timeout: .seconds(2)),
                response.status == 200
            {
                guard MotoIdentity.isMoto(response.headers.map { ($0.name, $0.value) }) else {
                    throw Unavailable(description: MotoIdentity.impostor(url: url, headers: response.headers.map { ($0.name, $0.value) }))
                }
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
