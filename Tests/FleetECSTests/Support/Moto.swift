import AWSClient
import FleetECS
import Foundation
import TestSupport
import NIOCore
import NIOPosix

/// moto's server for the integration tests: one process per test run on 127.0.0.1, started on
/// first use and killed when the test process goes away.
///
/// moto runs under `/bin/sh`, which holds the read end of a pipe whose write end only this
/// process has: when this process ends, however it ends, `read` returns and the shell kills moto.
/// Without `moto_server` on PATH every integration test fails with the reason; none is skipped.
actor Moto {
    static let shared = Moto()

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    private var outcome: Result<String, Unavailable>?
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Waits until no other test uses moto, then holds it: every test resets moto, so two at
    /// once (Swift Testing runs suites side by side) would wipe each other's world.
    func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands moto to the next waiting test.
    func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
    /// The shell watching this process's lifeline (its stdin), and moto under it.
    private var shell: Child?

    /// The launch under way, which every caller meanwhile waits for: an actor gives up its turn at
    /// each `await`, so without it concurrent first callers each started a moto of their own, and a
    /// replaced one's lifeline closed under the tests using it.
    private var launching: Task<Result<String, Unavailable>, Never>?

    /// The base URL, e.g. `http://127.0.0.1:40123`, starting moto on the first call.
    func url() async throws -> String {
        if let outcome { return try outcome.get() }
        if launching == nil {
            launching = Task {
                do { return .success(try await launch()) } catch let error as Unavailable { return .failure(error) } catch {
                    return .failure(Unavailable(description: "\(error)"))
                }
            }
        }
        let result = await launching!.value
        outcome = result
        return try result.get()
    }

    private func launch() async throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let executable = path.split(separator: ":").map { "\($0)/moto_server" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let executable else {
            throw Unavailable(description: "moto_server is not on PATH; the ECS provider's integration tests need it (pip install 'moto[server]')")
        }
        let port = try LoopbackPorts.free()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("fleetecs-moto-\(port).log").path
        let shell: Child
        do { shell = try Child.moto(executable: executable, port: port, log: log) } catch { throw Unavailable(description: "cannot start \(executable): \(error)") }
        self.shell = shell

        let url = "http://127.0.0.1:\(port)"
        let transport = AsyncHTTPClientTransport(borrowing: .shared)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, shell.isRunning {
            if let answer = try? await transport.send(TransportRequest(method: "GET", url: url + "/moto-api/data.json"), timeout: .seconds(2)), answer.status == 200 {
                guard MotoIdentity.isMoto(answer.headers.map { ($0.name, $0.value) }) else {
                    throw Unavailable(description: MotoIdentity.impostor(url: url, headers: answer.headers.map { ($0.name, $0.value) }))
                }
                return url
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw Unavailable(description: "moto_server did not come up on \(url); its output:\n\(output.suffix(2000))")
    }


    /// Sends a moto control request (`/moto-api/…`) and insists it worked.
    static func control(_ path: String, _ body: String = "", url: String, transport: any HTTPTransport) async throws {
        let answer = try await transport.send(TransportRequest(method: "POST", url: url + path, body: Array(body.utf8)), timeout: .seconds(30))
        guard answer.isSuccess else { throw Unavailable(description: "moto \(path) answered \(answer.status): \(answer.bodyText.prefix(200))") }
    }

    /// The environment integration tests give the provider: keys moto accepts (it checks none),
    /// and no home directory, so no developer's own credentials file is read.
    static let environment = ["AWS_ACCESS_KEY_ID": "AKIDFLEETECS", "AWS_SECRET_ACCESS_KEY": "moto-takes-any-secret", "HOME": "/nonexistent"]

    /// Clients for moto at `url` over `transport`, with fast retries so fault tests do not wait
    /// seconds per retry.
    static func clients(url: String, transport: any HTTPTransport, retryPolicy: RetryPolicy = .standard, timeout: Duration = .seconds(30)) throws -> (ECSClient, EC2Client) {
        let configuration = AWSClientConfiguration(
            region: "us-east-1",
            credentials: CachedCredentialProvider.standard(environment: environment, transport: transport),
            transport: transport, retryPolicy: retryPolicy, timeout: timeout)
        return (try ECSClient(configuration: configuration, endpoint: url), try EC2Client(configuration: configuration, endpoint: url))
    }
}
