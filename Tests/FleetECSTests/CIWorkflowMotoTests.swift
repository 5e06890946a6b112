import AWSClient
import AWSSigV4
import FleetRuntime
import Foundation
import Glibc
import TestSupport
import Testing
import Yams

/// examples/ci/gamefleet.yml's commands against a real `gamefleet serve -c ssm:NAME` (local
/// provider) on moto with signature checking: the steps with an `id` (validate, plan, push) are
/// read from the workflow file and run with bash as the runner would, with the workflow's
/// variables pointed at the test's serve and parameter. The plan is a Markdown comment showing
/// the change key by key; the push writes version 2, which the serve reloads within a poll; an
/// invalid file and a stale `--if-version` write nothing.
@Suite("CI workflow (examples/ci) against a live serve on moto", .serialized)
struct CIWorkflowMotoTests {
    static let workflow = PermissionsTests.root.appendingPathComponent("examples/ci/gamefleet.yml")

    /// The workflow's `env` (top level and the job's; values GitHub fills in are left out) and the
    /// `run` scripts of its steps by `id`.
    static func steps() throws -> (environment: [String: String], runs: [String: String]) {
        let text = try String(contentsOf: workflow, encoding: .utf8)
        let root = try #require(try Yams.load(yaml: text) as? [String: Any])
        var environment: [String: String] = [:]
        let jobs = try #require(root["jobs"] as? [String: Any])
        let job = try #require(jobs.values.first as? [String: Any])
        for scope in [root["env"], job["env"]] {
            for (name, value) in scope as? [String: Any] ?? [:] {
                let text = "\(value)"
                if !text.contains("${{") { environment[name] = text }
            }
        }
        var runs: [String: String] = [:]
        for step in job["steps"] as? [[String: Any]] ?? [] {
            if let id = step["id"] as? String, let run = step["run"] as? String { runs[id] = run }
        }
        return (environment, runs)
    }

    struct Ran: Sendable {
        var status: Int32
        var output: String
    }

    /// One step's script under bash, as GitHub runs a `run` (`bash -e`, pipefail), off the pool.
    static func run(_ script: String, environment: [String: String], in directory: URL) async throws -> Ran {
        // Spawn, not Foundation's Process: see TestSupport's Spawn for an exit Foundation can miss.
        let finished = try await offThePool {
            try Spawn.run("/bin/bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], environment: environment, directory: directory.path)
        }
        return Ran(status: finished.status, output: String(decoding: finished.stdout + finished.stderr, as: UTF8.self))
    }

    static func yaml(upscale: Int, capacity: String = "4", ports: (listen: Int, admin: Int, game: Int), stateFile: String) throws -> String {
        """
        name: ci-e2e
        provider: local
        gameserver:
          capacity: \(capacity)
          health: {interval: 1s, timeout: 500ms, startupGrace: 30s}
        scaling:
          upscaleMargin: \(upscale)
          downscaleMargin: \(upscale + 6)
          minServers: 1
          maxServers: 2
        listen: 127.0.0.1:\(ports.listen)
        admin:
          listen: 127.0.0.1:\(ports.admin)
          token: ${GAMEFLEET_ADMIN_TOKEN}
        local:
          command: ["\(try GameserverAgent.binary("sample-gameserver").path)", "--port", "{port}", "--capacity", "{capacity}"]
          ports: \(ports.game)-\(ports.game + 1)
          stateFile: \(stateFile)

        """
    }

    @Test("validate, plan (a Markdown comment against the live fleet) and push (the serve reloads it) as the workflow runs them; an invalid file and a stale --if-version write nothing")
    func workflowAgainstALiveServe() async throws {
        let url = try await Moto.checkingSignatures.url()
        let transport = AsyncHTTPClientTransport()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-ci-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let serve = ServeConfigSourceMotoTests.ServeBox()
        do {
            try await Self.exercise(url: url, transport: transport, directory: directory, serve: serve)
        } catch {
            await ServeConfigSourceMotoTests.cleanUp(serve, directory: directory, transport: transport)
            throw error
        }
        await ServeConfigSourceMotoTests.cleanUp(serve, directory: directory, transport: transport)
    }

    static func exercise(url: String, transport: AsyncHTTPClientTransport, directory: URL, serve: ServeConfigSourceMotoTests.ServeBox) async throws {
        let key = try await ServeConfigSourceMotoTests.signedKey(url: url, transport: transport)
        let token = "ci-token-\(UUID().uuidString)"
        let aws = [
            "AWS_ACCESS_KEY_ID": key.accessKeyID, "AWS_SECRET_ACCESS_KEY": key.secretAccessKey, "HOME": "/nonexistent",
            "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": url, "GAMEFLEET_ADMIN_TOKEN": token,
        ]
        let ssm = try SSMClient(configuration: AWSClientConfiguration(
            region: "us-east-1", credentials: StaticCredentialProvider(key), transport: transport, environment: aws, timeout: .seconds(60)))
        let name = "/gamefleet/ci/\(UUID().uuidString.prefix(8))/fleet.yaml"
        let ports = (listen: try LoopbackPorts.free(), admin: try LoopbackPorts.free(), game: try LoopbackPorts.free())
        let stateFile = directory.appendingPathComponent("state.json").path
        let log = directory.appendingPathComponent("serve.log").path
        func tail() -> String { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(15).joined(separator: "\n") }
        func config() async -> (version: String?, ready: Bool, errors: [String])? {
            var headers = [HTTPHeaderField(name: "Authorization", value: "Bearer \(token)")]
            headers.append(HTTPHeaderField(name: "Connection", value: "close"))
            guard let answer = try? await transport.send(
                TransportRequest(method: "GET", url: "http://127.0.0.1:\(ports.admin)/v1/fleet", headers: headers), timeout: .seconds(5)),
                answer.isSuccess else { return nil }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            guard let snapshot = try? decoder.decode(FleetSnapshot.self, from: Data(answer.body)) else { return nil }
            return (snapshot.config.version, snapshot.ready, snapshot.config.lastReloadErrors)
        }
        func until<T>(_ what: String, _ check: () async throws -> T?) async throws -> T {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                if let value = try await check() { return value }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("timed out waiting for \(what)\n\(tail())")
            throw Moto.Unavailable(description: "timed out waiting for \(what)")
        }

        _ = try await ssm.putParameter(name, value: try yaml(upscale: 1, ports: ports, stateFile: stateFile), type: "SecureString", overwrite: false)
        serve.process = try ServeRestartMotoTests.serve(config: "ssm:\(name)", log: log, arguments: ["--config-poll", "1s"], environment: aws)
        _ = try await until("serve running version 1 with a pass done") { await config().flatMap { $0.version == "1" && $0.ready ? true : nil } }

        // The workflow, pointed at this serve and parameter; gamefleet on PATH as the install step leaves it.
        let (workflowEnvironment, runs) = try Self.steps()
        #expect(Set(runs.keys) == ["validate", "plan", "push"], "the steps the test runs: \(runs.keys.sorted())")
        let checkout = directory.appendingPathComponent("checkout")
        try FileManager.default.createDirectory(at: checkout, withIntermediateDirectories: true)
        let summary = directory.appendingPathComponent("step-summary.md")
        var environment = workflowEnvironment.merging(aws) { _, test in test }
        environment["FLEET_SOURCE"] = "ssm:\(name)"
        environment["GAMEFLEET_ADMIN_URL"] = "http://127.0.0.1:\(ports.admin)"
        environment["GITHUB_STEP_SUMMARY"] = summary.path
        environment["PATH"] = (try GameserverAgent.binary("gamefleet")).deletingLastPathComponent().path + ":/usr/bin:/bin"
        let fleetFile = checkout.appendingPathComponent(try #require(environment["FLEET_FILE"]))
        func step(_ id: String, extra: [String: String] = [:]) async throws -> Ran {
            try await Self.run(try #require(runs[id]), environment: environment.merging(extra) { _, new in new }, in: checkout)
        }

        // A pull request raising the upscale margin: valid, planned against the live fleet, pushed on merge.
        try Data(try yaml(upscale: 3, ports: ports, stateFile: stateFile).utf8).write(to: fleetFile)
        let validate = try await step("validate")
        #expect(validate.status == 0, "validate: \(validate.output)")
        let plan = try await step("plan")
        #expect(plan.status == 0, "plan: \(plan.output)")
        let comment = (try? String(contentsOf: checkout.appendingPathComponent("plan.md"), encoding: .utf8)) ?? ""
        #expect(comment.hasPrefix("### gamefleet plan: fleet `ci-e2e`"), "\(comment)")
        #expect(comment.contains("against the running `ssm:\(name)` version 1"), "\(comment)")
        #expect(comment.contains("| `scaling.upscaleMargin` | `1` | `3` |\n| `scaling.downscaleMargin` | `7` | `9` |\n"), "\(comment)")
        #expect(comment.contains("**Plan:** "), "\(comment)")
        #expect((try? String(contentsOf: summary, encoding: .utf8)) == comment, "the plan goes to the job summary too")
        #expect(!comment.contains(token), "the token never shows")
        let pushed = try await step("push")
        #expect(pushed.status == 0 && pushed.output.contains("ssm:\(name): version 2 written (was 1)"), "push: \(pushed.output)")
        _ = try await until("the serve running version 2") { await config().flatMap { $0.version == "2" && $0.errors.isEmpty ? true : nil } }

        // The same file again: nothing written, no version the replicas would judge for nothing.
        let again = try await step("push")
        #expect(again.status == 0 && again.output.contains("nothing written"), "\(again.output)")
        #expect(try await ssm.getParameter(name).version == 2)

        // An invalid file: validate fails naming the key; push writes nothing.
        try Data(try yaml(upscale: 3, capacity: "four", ports: ports, stateFile: stateFile).utf8).write(to: fleetFile)
        let invalid = try await step("validate")
        #expect(invalid.status == 1 && invalid.output.contains("gameserver.capacity"), "\(invalid.output)")
        let refused = try await step("push")
        #expect(refused.status == 1 && refused.output.contains("nothing was written to ssm:\(name)"), "\(refused.output)")
        #expect(try await ssm.getParameter(name).version == 2)

        // A stale --if-version (someone wrote version 2 since version 1 was planned): refused.
        try Data(try yaml(upscale: 2, ports: ports, stateFile: stateFile).utf8).write(to: fleetFile)
        let stale = try await step("push", extra: ["GAMEFLEET_IF_VERSION": "1"])
        #expect(stale.status == 1 && stale.output.contains("--if-version 1: ssm:\(name) is at version 2"), "\(stale.output)")
        #expect(try await ssm.getParameter(name).version == 2)
        let current = try await step("push", extra: ["GAMEFLEET_IF_VERSION": "2"])
        #expect(current.status == 0 && current.output.contains("version 3 written (was 2)"), "\(current.output)")
        #expect(try await ssm.getParameter(name).version == 3)
        _ = try await until("the serve running version 3") { await config().flatMap { $0.version == "3" ? true : nil } }
        #expect(serve.process?.isRunning == true)
    }
}
