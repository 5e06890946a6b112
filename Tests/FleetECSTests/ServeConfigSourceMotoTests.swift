import AWSClient
import AWSSigV4
import FleetCore
import FleetRuntime
import Foundation
import TestSupport
import Glibc
import Testing

extension Moto {
    /// A moto of its own whose signature checking is turned on, so the suites sharing ``shared``
    /// with made-up keys are not refused meanwhile.
    static let checkingSignatures = Moto()
}

/// A real `gamefleet serve` whose fleet.yaml is an SSM parameter on moto, read with gamefleet's
/// own client behind moto's signature check (an IAM user's key; `/moto-api/reset-auth`). With a
/// 1 s poll: editing the parameter reloads it, a bad version is refused and the old one kept, a
/// deleted parameter keeps the fleet running and says so. Deadlines are generous liveness bounds
/// (60 s); the time each change took to show is printed, not asserted.
@Suite("gamefleet serve: fleet.yaml from an SSM parameter (moto)", .serialized)
struct ServeConfigSourceMotoTests {
    /// The key IAM calls are signed with on a moto at a URL: first a bootstrap key moto accepts
    /// while it does not check yet, then (once checking is on) the first user's, which may do anything.
    actor IAMKeys {
        static let shared = IAMKeys()
        /// The root user's making, once per moto: concurrent first callers all wait for the one
        /// (an actor gives up its turn at each await; two makers, and the second's bootstrap key is
        /// refused once the first turned checking on).
        private var root: [String: Task<AWSCredentials, any Error>] = [:]

        /// Creates a user allowed `actions` and returns its key; the first call on a moto also
        /// makes the root user and turns checking on, so calls in any order, from any test, work.
        func key(url: String, transport: AsyncHTTPClientTransport, actions: [String]) async throws -> AWSCredentials {
            if root[url] == nil {
                root[url] = Task {
                    let bootstrap = AWSCredentials(accessKeyID: "AKIDBOOTSTRAP", secretAccessKey: "accepted-before-auth")
                    let made = try await Self.user(allowed: ["*"], signer: bootstrap, url: url, transport: transport)
                    try await Moto.control("/moto-api/reset-auth", "0", url: url, transport: transport)
                    return made
                }
            }
            let signer = try await root[url]!.value
            return try await Self.user(allowed: actions, signer: signer, url: url, transport: transport)
        }

        /// RFC 3986's unreserved characters: what moto leaves as it is when it rebuilds a form to
        /// check its signature, so a body encoded this way is signed as moto sees it.
        static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

        private static func user(allowed actions: [String], signer: AWSCredentials, url: String, transport: AsyncHTTPClientTransport) async throws -> AWSCredentials {
            func iam(_ form: String) async throws -> String {
                let body = Array((form + "&Version=2010-05-08").utf8)
                let host = String(url.dropFirst("http://".count))
                let request = SignableRequest(method: "POST", path: "/", headers: [
                    .init(name: "Host", value: host), .init(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8"),
                ], body: body)
                let signed = SigV4Signer(region: "us-east-1", service: "iam").signedRequest(for: request, credentials: signer, date: Date())
                let answer = try await transport.send(
                    TransportRequest(method: "POST", url: url + "/", headers: signed.headers.map { HTTPHeaderField(name: $0.name, value: $0.value) }, body: body),
                    timeout: .seconds(30))
                guard answer.isSuccess else { throw Moto.Unavailable(description: "moto IAM \(form.prefix(40)) answered \(answer.status): \(answer.bodyText.prefix(300))") }
                return answer.bodyText
            }
            let user = "gamefleet-test-\(UUID().uuidString.prefix(8))"
            _ = try await iam("Action=CreateUser&UserName=\(user)")
            let granted = actions.map { "\"\($0)\"" }.joined(separator: ",")
            let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["# + granted + #"],"Resource":"*"}]}"#
            _ = try await iam("Action=PutUserPolicy&UserName=\(user)&PolicyName=test&PolicyDocument=\(policy.addingPercentEncoding(withAllowedCharacters: Self.unreserved)!)")
            let created = try await iam("Action=CreateAccessKey&UserName=\(user)")
            func element(_ name: String) -> String? {
                guard let start = created.range(of: "<\(name)>"), let end = created.range(of: "</\(name)>", range: start.upperBound..<created.endIndex) else { return nil }
                return String(created[start.upperBound..<end.lowerBound])
            }
            guard let id = element("AccessKeyId"), let secret = element("SecretAccessKey") else { throw Moto.Unavailable(description: "no access key in \(created.prefix(300))") }
            return AWSCredentials(accessKeyID: id, secretAccessKey: secret)
        }
    }

    /// An IAM user's key allowed `actions`, on a moto that checks signatures and permissions.
    static func signedKey(url: String, transport: AsyncHTTPClientTransport, actions: [String] = ["ssm:*"]) async throws -> AWSCredentials {
        try await IAMKeys.shared.key(url: url, transport: transport, actions: actions)
    }

    static func yaml(name: String, upscale: Int, ports: (listen: Int, admin: Int, game: Int), stateFile: String, capacity: String = "4") throws -> String {
        """
        name: \(name)
        provider: local
        gameserver:
          capacity: \(capacity)
          health: {interval: 1s, timeout: 500ms, startupGrace: 30s}
        scaling: {upscaleMargin: \(upscale), downscaleMargin: \(upscale + 6), minServers: 1, maxServers: 1}
        listen: 127.0.0.1:\(ports.listen)
        admin: {listen: 127.0.0.1:\(ports.admin)}
        local:
          command: ["\(try GameserverAgent.binary("sample-gameserver").path)", "--port", "{port}", "--capacity", "{capacity}"]
          ports: \(ports.game)-\(ports.game)
          stateFile: \(stateFile)

        """
    }

    static func snapshot(admin: Int, transport: AsyncHTTPClientTransport) async -> FleetSnapshot? {
        guard let answer = try? await transport.send(TransportRequest(method: "GET", url: "http://127.0.0.1:\(admin)/v1/fleet"), timeout: .seconds(5)),
              answer.isSuccess else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(FleetSnapshot.self, from: Data(answer.body))
    }

    @Test("Editing the parameter reloads it within a poll; a bad version is refused and the old kept; a deleted parameter keeps the fleet running")
    func editRefuseDelete() async throws {
        let url = try await Moto.checkingSignatures.url()
        let transport = AsyncHTTPClientTransport()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-ssm-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let serve = ServeBox()
        do {
            try await Self.run(url: url, transport: transport, directory: directory, serve: serve)
        } catch {
            await Self.cleanUp(serve, directory: directory, transport: transport)
            throw error
        }
        await Self.cleanUp(serve, directory: directory, transport: transport)
    }

    /// The serve process the test started, stopped at the end whatever happened.
    final class ServeBox: @unchecked Sendable {
        var process: Child?
    }

    static func cleanUp(_ serve: ServeBox, directory: URL, transport: AsyncHTTPClientTransport) async {
        if let process = serve.process { await ServeHAMotoTests.stop(process) }
        try? FileManager.default.removeItem(at: directory)
        try? await transport.shutdown()
    }

    static func run(url: String, transport: AsyncHTTPClientTransport, directory: URL, serve: ServeBox) async throws {
        let key = try await Self.signedKey(url: url, transport: transport)
        let environment = [
            "AWS_ACCESS_KEY_ID": key.accessKeyID, "AWS_SECRET_ACCESS_KEY": key.secretAccessKey, "HOME": "/nonexistent",
            "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": url,
        ]
        let ssm = try SSMClient(configuration: AWSClientConfiguration(
            region: "us-east-1", credentials: StaticCredentialProvider(key), transport: transport, environment: environment, timeout: .seconds(60)))
        let name = "/gamefleet/e2e/\(UUID().uuidString.prefix(8))/fleet.yaml"
        let ports = (listen: try LoopbackPorts.free(), admin: try LoopbackPorts.free(), game: try LoopbackPorts.free())
        let stateFile = directory.appendingPathComponent("state.json").path
        let log = directory.appendingPathComponent("serve.log").path
        func fleet(_ upscale: Int, capacity: String = "4") throws -> String { try Self.yaml(name: "ssm-e2e", upscale: upscale, ports: ports, stateFile: stateFile, capacity: capacity) }
        func tail() -> String { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(15).joined(separator: "\n") }
        func until<T>(_ what: String, _ check: () async throws -> T?) async throws -> T {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                if let value = try await check() { return value }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("timed out waiting for \(what)\n\(tail())")
            throw Moto.Unavailable(description: "timed out waiting for \(what)")
        }

        _ = try await ssm.putParameter(name, value: try fleet(1), type: "SecureString", overwrite: false)
        serve.process = try ServeRestartMotoTests.serve(config: "ssm:\(name)", log: log, arguments: ["--config-poll", "1s"], environment: environment)

        let first = try await until("serve running version 1 with a pass done") {
            await Self.snapshot(admin: ports.admin, transport: transport).flatMap { $0.config.version == "1" && $0.ready ? $0 : nil }
        }
        #expect(first.config.source == "ssm" && first.config.path == "ssm:\(name)")
        let metrics = try await transport.send(TransportRequest(method: "GET", url: "http://127.0.0.1:\(ports.admin)/metrics"), timeout: .seconds(10)).bodyText
        #expect(metrics.contains(#"gamefleet_config_info{source="ssm:\#(name)",version="1",hash="\#(first.config.hash)"} 1"#), "\(metrics.split(separator: "\n").filter { $0.contains("config_info") })")

        // An edit: version 2 runs within a poll (plus a loaded machine's delay).
        let edited = ContinuousClock.now
        #expect(try await ssm.putParameter(name, value: try fleet(2), type: nil, overwrite: true) == 2)
        let second = try await until("version 2 adopted") {
            await Self.snapshot(admin: ports.admin, transport: transport).flatMap { $0.config.version == "2" ? $0 : nil }
        }
        print("ssm e2e: parameter edit → running in \(ContinuousClock.now - edited) (poll 1s)")
        #expect(second.config.lastReloadErrors.isEmpty && second.config.hash != first.config.hash)

        // A bad version: refused whole, version 2 keeps running.
        _ = try await ssm.putParameter(name, value: try fleet(3, capacity: "four"), type: nil, overwrite: true)
        let refused = try await until("version 3 refused") {
            await Self.snapshot(admin: ports.admin, transport: transport).flatMap { $0.config.lastReloadErrors.isEmpty ? nil : $0 }
        }
        #expect(refused.config.version == "2" && refused.config.hash == second.config.hash)
        #expect(refused.config.lastReloadErrors.contains { $0.hasPrefix("ssm:\(name):") && $0.contains("gameserver.capacity") }, "\(refused.config.lastReloadErrors)")

        // Deleted: the fleet keeps running on version 2, and says why it cannot read.
        try await ssm.deleteParameter(name)
        let unreadable = try await until("the read error shown") {
            await Self.snapshot(admin: ports.admin, transport: transport).flatMap { $0.config.readError == nil ? nil : $0 }
        }
        #expect(unreadable.config.readError?.message.contains("ParameterNotFound") == true, "\(String(describing: unreadable.config.readError))")
        #expect(unreadable.config.version == "2")
        let passBefore = try #require(unreadable.lastPassAt)
        let later = try await until("passes going on with the parameter gone") {
            await Self.snapshot(admin: ports.admin, transport: transport).flatMap { ($0.lastPassAt ?? .distantPast) > passBefore.addingTimeInterval(2) ? $0 : nil }
        }
        #expect(later.config.version == "2" && later.ready && serve.process?.isRunning == true)
        #expect(later.observed?.servers.count == 1, "the gameserver keeps running")
    }
}
