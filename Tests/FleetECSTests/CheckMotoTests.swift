import AWSClient
import AWSSigV4
import FleetCore
import FleetECS
import Foundation
import TestSupport
import Testing

/// `gamefleet check` (the binary) against moto with signature checking, run under a key granted
/// only the actions ``AWSPermissions/preflight`` lists (and `ssm:GetParameter` for the source):
/// everything a fleet names is first present, then each piece is missing or wrong in turn, and
/// check must name exactly that key, with a fix, and exit 1.
@Suite("gamefleet check against moto", .serialized)
struct CheckMotoTests {
    /// What one test run created in moto (names unique to the run: this moto is shared, never reset).
    struct World {
        var url: String
        var cluster: String
        var bareCluster: String
        var family: String
        var bridgeFamily: String
        var subnet: String
        var securityGroup: String
        var launchTemplate: String
        var table: String
        var wrongTable: String
        var parameter: String
        /// Only the preflight's actions.
        var checkKey: AWSCredentials
    }

    static func makeWorld(transport: AsyncHTTPClientTransport) async throws -> World {
        let url = try await Moto.checkingSignatures.url()
        let admin = try await ServeConfigSourceMotoTests.signedKey(url: url, transport: transport, actions: ["*"])
        let checkKey = try await ServeConfigSourceMotoTests.signedKey(
            url: url, transport: transport, actions: AWSPermissions.preflight.map(\.action) + ["ssm:GetParameter"])
        let run = UUID().uuidString.prefix(8).lowercased()
        let environment = ["AWS_REGION": "us-east-1", "HOME": "/nonexistent"]
        let configuration = AWSClientConfiguration(
            region: "us-east-1", credentials: StaticCredentialProvider(admin), transport: transport, environment: environment, timeout: .seconds(60))
        let ecs = try ECSClient(configuration: configuration, endpoint: url)
        let ec2 = try EC2Client(configuration: configuration, endpoint: url)
        let db = try DynamoDBClient(configuration: configuration, endpoint: url)
        let ssm = try SSMClient(configuration: configuration, endpoint: url)

        let world = World(
            url: url, cluster: "check-\(run)", bareCluster: "check-bare-\(run)", family: "check-gs-\(run)", bridgeFamily: "check-bridge-\(run)",
            subnet: "", securityGroup: "", launchTemplate: "check-host-\(run)", table: "check-leases-\(run)", wrongTable: "check-wrong-\(run)",
            parameter: "/gamefleet/check/\(run)/fleet.yaml", checkKey: checkKey)
        _ = try await ecs.createCluster(world.cluster)
        _ = try await ecs.putClusterCapacityProviders(cluster: world.cluster, providers: ["FARGATE", "FARGATE_SPOT"])
        _ = try await ecs.createCluster(world.bareCluster)
        for (family, mode) in [(world.family, "awsvpc"), (world.bridgeFamily, "bridge")] {
            _ = try await ecs.registerTaskDefinition(ECSTaskDefinition(
                family: family,
                containerDefinitions: [ECSContainerDefinition(
                    name: "gameserver", image: "gamefleet/sample-gameserver:test", memory: 128, essential: true,
                    portMappings: [.init(containerPort: 7777)])],
                networkMode: mode))
        }
        let vpc = try await ec2.createVpc(cidrBlock: "10.42.0.0/16")
        let subnet = try await ec2.createSubnet(vpcID: vpc, cidrBlock: "10.42.1.0/24")
        let group = try await ec2.createSecurityGroup(name: "check-\(run)", description: "gamefleet-check-test", vpcID: vpc)
        try await MotoWorld.createLaunchTemplate(world.launchTemplate, url: url, transport: transport) { headers, body in
            let host = String(url.dropFirst("http://".count))
            let request = SignableRequest(method: "POST", path: "/", headers: [.init(name: "Host", value: host)] + headers.map { .init(name: $0.name, value: $0.value) }, body: body)
            let signed = SigV4Signer(region: "us-east-1", service: "ec2").signedRequest(for: request, credentials: admin, date: Date())
            return signed.headers.map { HTTPHeaderField(name: $0.name, value: $0.value) }
        }
        _ = try await db.createTable(world.table, hashKey: "fleet")
        _ = try await db.createTable(world.wrongTable, hashKey: "id")
        _ = try await ssm.putParameter(world.parameter, value: "placeholder", type: "String", overwrite: false)
        var complete = world
        complete.subnet = subnet
        complete.securityGroup = group
        return complete
    }

    /// Runs `body` with a new world, its transport and a scratch directory, all gone afterwards.
    static func withWorld(_ body: (World, AsyncHTTPClientTransport, URL) async throws -> Void) async throws {
        let transport = AsyncHTTPClientTransport()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-check-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try await cleaningUp({
            try await body(try await makeWorld(transport: transport), transport, directory)
        }, then: {
            try? FileManager.default.removeItem(at: directory)
            try? await transport.shutdown()
        })
    }

    /// fleet.yaml for the world, with `edit` applied to its lines: a key's line replaced whole.
    static func fleet(_ world: World, _ edits: [String: String] = [:], ha: Bool = true) -> String {
        var ecs: [(String, String)] = [
            ("cluster", world.cluster), ("taskDefinition", world.family), ("gamePort", "7777"),
            ("capacityProviderStrategy", "[{capacityProvider: FARGATE, weight: 1}, {capacityProvider: FARGATE_SPOT, weight: 3}]"),
            ("subnets", "[\(world.subnet)]"), ("securityGroups", "[\(world.securityGroup)]"), ("assignPublicIp", "true"),
        ]
        for (key, value) in edits where !key.contains(".") {
            if let index = ecs.firstIndex(where: { $0.0 == key }) { ecs[index].1 = value } else { ecs.append((key, value)) }
        }
        let ecsLines = ecs.filter { $0.1 != "-" }.map { "  \($0.0): \($0.1)" }.joined(separator: "\n")
        let haBlock = ha ? """
            ha:
              table: \(edits["ha.table"] ?? world.table)
              advertise: 127.0.0.1:18001
            admin:
              listen: 127.0.0.1:18001
              token: check-test-token-0123456789
            """ : ""
        return """
            name: check-it
            provider: ecs
            gameserver:
              capacity: 8
            scaling:
              upscaleMargin: 8
              downscaleMargin: 24
              minServers: 1
              maxServers: 10
            listen: 127.0.0.1:18000
            \(haBlock)
            ecs:
              region: us-east-1
              endpoint: \(world.url)
            \(ecsLines)

            """
    }

    struct Outcome {
        var status: Int32
        var findings: [PreflightFinding]
        var stderr: String
        var problems: Set<String> { Set(findings.filter { $0.verdict == .problem }.map(\.key)) }
        func finding(_ key: String) -> PreflightFinding? { findings.first { $0.key == key } }
    }

    static func check(_ config: String, world: World, key: AWSCredentials?, in directory: URL, extraEnvironment: [String: String] = [:]) async throws -> Outcome {
        var environment = ["HOME": "/nonexistent", "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": world.url, "AWS_EC2_METADATA_DISABLED": "true", "PATH": "/usr/bin:/bin"]
        if let key {
            environment["AWS_ACCESS_KEY_ID"] = key.accessKeyID
            environment["AWS_SECRET_ACCESS_KEY"] = key.secretAccessKey
        }
        environment.merge(extraEnvironment) { _, new in new }
        let binary = try GameserverAgent.binary("gamefleet").path
        let settled = environment
        let finished = try await offThePool {
            try Spawn.run(binary, ["check", "-c", config, "--output", "json"], environment: settled, directory: directory.path)
        }
        let findings = (try? JSONDecoder().decode([PreflightFinding].self, from: Data(finished.stdout))) ?? []
        return Outcome(status: finished.status, findings: findings, stderr: String(decoding: finished.stderr, as: UTF8.self))
    }

    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var edits: [String: String]
        var ha = true
        /// The keys check must call problems: exactly these.
        var problems: Set<String>
        /// Words the first problem's message must hold (the missing thing named).
        var names: String?
        var description: String { name }
    }

    static func rows(_ world: World) -> [Row] {
        [
            Row(name: "everything present", edits: [:], problems: []),
            Row(name: "cluster missing", edits: ["cluster": "no-such-cluster"], problems: ["ecs.cluster"], names: "no-such-cluster"),
            Row(name: "capacity providers not attached", edits: ["cluster": world.bareCluster], problems: ["ecs.capacityProviderStrategy"], names: "FARGATE, FARGATE_SPOT"),
            Row(name: "task definition missing", edits: ["taskDefinition": "no-such-family"], problems: ["ecs.taskDefinition"], names: "no-such-family"),
            Row(name: "game port not mapped", edits: ["gamePort": "7778"], problems: ["ecs.gamePort"], names: "7778"),
            Row(name: "one subnet missing", edits: ["subnets": "[\(world.subnet), subnet-0000000000000dead]"], problems: ["ecs.subnets"], names: "subnet-0000000000000dead"),
            Row(name: "security group missing", edits: ["securityGroups": "[sg-0000000000000dead]"], problems: ["ecs.securityGroups"], names: "sg-0000000000000dead"),
            Row(name: "Fargate with a bridge task definition", edits: ["taskDefinition": world.bridgeFamily], problems: ["ecs.launchType"], names: "bridge"),
            Row(name: "launch template missing",
                edits: ["capacityProviderStrategy": "-", "subnets": "-", "securityGroups": "-", "assignPublicIp": "-", "taskDefinition": world.bridgeFamily,
                        "launchType": "EC2", "launchTemplate": "no-such-template"],
                problems: ["ecs.launchTemplate"], names: "no-such-template"),
            Row(name: "launch template version missing",
                edits: ["capacityProviderStrategy": "-", "subnets": "-", "securityGroups": "-", "assignPublicIp": "-", "taskDefinition": world.bridgeFamily,
                        "launchType": "EC2", "launchTemplate": "\(world.launchTemplate):9"],
                problems: ["ecs.launchTemplate"], names: "version 9"),
            Row(name: "lease table missing", edits: ["ha.table": "no-such-table"], problems: ["ha.table"], names: "no-such-table"),
            Row(name: "lease table keyed wrong", edits: ["ha.table": world.wrongTable], problems: ["ha.table"], names: "id (HASH"),
        ]
    }

    @Test("Everything present passes; each piece missing in turn is named by its key, with a fix, exit 1")
    func eachMissingPieceIsNamed() async throws {
        try await Self.withWorld { world, transport, directory in
            for row in Self.rows(world) {
                let file = directory.appendingPathComponent("fleet.yaml")
                try Data(Self.fleet(world, row.edits, ha: row.ha).utf8).write(to: file)
                let outcome = try await Self.check(file.path, world: world, key: world.checkKey, in: directory)
                #expect(outcome.problems == row.problems, "\(row): \(outcome.findings.map { "\($0.verdict.rawValue) \($0.key): \($0.message)" })\n\(outcome.stderr)")
                #expect(outcome.status == (row.problems.isEmpty ? 0 : 1), "\(row): exit \(outcome.status)")
                for key in row.problems {
                    let finding = outcome.finding(key)
                    if key != "ha.table" { #expect(finding?.fix?.isEmpty == false, "\(row): no fix for \(key)") }
                    if let names = row.names { #expect(finding?.message.contains(names) == true, "\(row): \(key) says \(finding?.message ?? "nothing"), not naming \(names)") }
                }
                if row.problems.isEmpty {
                    #expect(outcome.findings.allSatisfy { $0.verdict == .ok })
                    #expect(Set(outcome.findings.map(\.key)) == [
                        "--config", "AWS credentials", "ecs.cluster", "ecs.capacityProviderStrategy", "ecs.taskDefinition", "ecs.gamePort",
                        "ecs.subnets", "ecs.securityGroups", "ha.table",
                    ], "\(outcome.findings.map(\.key))")
                }
            }

            // The same complete file kept where the replicas read it: check reads it with the same key.
            let admin = try await ServeConfigSourceMotoTests.signedKey(url: world.url, transport: transport, actions: ["ssm:PutParameter"])
            let ssm = try SSMClient(configuration: AWSClientConfiguration(
                region: "us-east-1", credentials: StaticCredentialProvider(admin), transport: transport,
                environment: ["AWS_REGION": "us-east-1", "HOME": "/nonexistent"], timeout: .seconds(60)), endpoint: world.url)
            _ = try await ssm.putParameter(world.parameter, value: Self.fleet(world), type: "SecureString", overwrite: true)
            let fromSSM = try await Self.check("ssm:\(world.parameter)", world: world, key: world.checkKey, in: directory)
            #expect(fromSSM.status == 0, "\(fromSSM.findings)\n\(fromSSM.stderr)")
            #expect(fromSSM.finding("--config")?.message.contains("ssm:\(world.parameter) version 2") == true, "\(String(describing: fromSSM.finding("--config")))")
        }
    }

    @Test("No credentials: check says so and asks nothing else; a key without the preflight's actions gets each refusal named with the action to grant")
    func credentialsAndPermissions() async throws {
        try await Self.withWorld { world, transport, directory in
            let file = directory.appendingPathComponent("fleet.yaml")
            try Data(Self.fleet(world).utf8).write(to: file)

            let anonymous = try await Self.check(file.path, world: world, key: nil, in: directory)
            #expect(anonymous.status == 1)
            #expect(anonymous.problems == ["AWS credentials"], "\(anonymous.findings)")
            #expect(anonymous.findings.filter { $0.verdict == .notChecked }.count == 6, "\(anonymous.findings.map { "\($0.verdict.rawValue) \($0.key)" })")

            let ssmOnly = try await ServeConfigSourceMotoTests.signedKey(url: world.url, transport: transport, actions: ["ssm:GetParameter"])
            let refused = try await Self.check(file.path, world: world, key: ssmOnly, in: directory)
            #expect(refused.status == 1)
            #expect(refused.problems.isSuperset(of: ["ecs.cluster", "ecs.taskDefinition", "ecs.subnets", "ecs.securityGroups", "ha.table"]), "\(refused.findings)")
            for (key, action) in [("ecs.cluster", "ecs:DescribeClusters"), ("ecs.subnets", "ec2:DescribeSubnets"), ("ha.table", "dynamodb:DescribeTable")] {
                #expect(refused.finding(key)?.fix?.contains(action) == true, "\(key): \(String(describing: refused.finding(key)))")
            }
        }
    }

    @Test("The config source is one of the checks: a parameter that is not there is named, and nothing else is asked")
    func anUnreadableSourceIsNamed() async throws {
        try await Self.withWorld { world, transport, directory in
            let outcome = try await Self.check("ssm:\(world.parameter)-gone", world: world, key: world.checkKey, in: directory)
            #expect(outcome.status == 1)
            #expect(outcome.findings.isEmpty)
            #expect(outcome.stderr.contains("\(world.parameter)-gone"), "\(outcome.stderr)")
        }
    }
}
