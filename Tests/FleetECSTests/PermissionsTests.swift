import AWSClient
import FleetConfig
import FleetCore
import FleetECS
import Foundation
import Synchronization
import Testing
import Yams

/// Least privilege, one list: what the code can call, ``AWSPermissions``, and
/// examples/iam-policy.json are the same set of actions.
@Suite("IAM policy against the code")
struct PermissionsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The requirement names of a protocol file in Sources/FleetECS, e.g. `listTasks`.
    static func requirements(_ file: String) throws -> Set<String> {
        let text = try String(contentsOf: root.appendingPathComponent("Sources/FleetECS/\(file)"), encoding: .utf8)
        let regex = try NSRegularExpression(pattern: #"^\s*func\s+([A-Za-z0-9_]+)\s*\("#, options: .anchorsMatchLines)
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).map { String(text[Range($0.range(at: 1), in: text)!]) })
    }

    /// Every IAM action the policy file allows.
    static func policyActions() throws -> Set<String> {
        let data = try Data(contentsOf: root.appendingPathComponent("examples/iam-policy.json"))
        let policy = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let statements = try #require(policy["Statement"] as? [[String: Any]])
        var actions: Set<String> = []
        for statement in statements {
            #expect(statement["Effect"] as? String == "Allow")
            if let one = statement["Action"] as? String { actions.insert(one) }
            for action in statement["Action"] as? [String] ?? [] { actions.insert(action) }
        }
        return actions
    }

    /// Calls every operation of the live ECS and EC2 adapters over a transport that records what
    /// reaches the wire (ECS's X-Amz-Target, EC2's Action=) and answers with an empty body; what
    /// the adapters make of that answer does not matter here.
    static func wireActions() async throws -> (ecs: [String: String], ec2: [String: String]) {
        let seen = Mutex<[String]>([])
        let transport = FakeHTTPTransport { request in
            if let target = request.headers.first(where: { $0.name.lowercased() == "x-amz-target" })?.value {
                seen.withLock { $0.append("ecs:" + (target.split(separator: ".").last.map(String.init) ?? target)) }
                return TransportResponse(status: 200, headers: [HTTPHeaderField(name: "Content-Type", value: "application/x-amz-json-1.1")], text: "{}")
            }
            let form = String(decoding: request.body, as: UTF8.self)
            let action = form.split(separator: "&").first { $0.hasPrefix("Action=") }.map { String($0.dropFirst("Action=".count)) } ?? "?"
            seen.withLock { $0.append("ec2:" + action) }
            return TransportResponse(status: 200, headers: [HTTPHeaderField(name: "Content-Type", value: "text/xml")], text: "<Response/>")
        }
        // The address is never dialled: the fake transport answers.
        let (ecsClient, ec2Client) = try Moto.clients(url: "http://127.0.0.1:9", transport: transport)
        let ecs = LiveECS(client: ecsClient)
        let ec2 = LiveEC2(client: ec2Client)
        var ecsCalls: [String: String] = [:]
        var ec2Calls: [String: String] = [:]
        func last() -> String { seen.withLock { $0.last ?? "nothing" } }
        // One call of each requirement, by name; the test checks this covers the protocols.
        _ = try? await ecs.listTasks(cluster: "c", startedBy: "gamefleet-x", nextToken: nil); ecsCalls["listTasks"] = last()
        _ = try? await ecs.describeTasks(cluster: "c", arns: ["t"]); ecsCalls["describeTasks"] = last()
        _ = try? await ecs.describeTaskDefinition("game:1"); ecsCalls["describeTaskDefinition"] = last()
        _ = try? await ecs.listContainerInstances(cluster: "c", nextToken: nil); ecsCalls["listContainerInstances"] = last()
        _ = try? await ecs.describeContainerInstances(cluster: "c", arns: ["ci"]); ecsCalls["describeContainerInstances"] = last()
        _ = try? await ecs.runTask(ECSRunTaskRequest(cluster: "c", taskDefinition: "game:1")); ecsCalls["runTask"] = last()
        _ = try? await ecs.stopTask(cluster: "c", task: "t", reason: "r"); ecsCalls["stopTask"] = last()
        _ = try? await ecs.tagResource("t", tags: [ECSTag(key: "k", value: "v")]); ecsCalls["tagResource"] = last()
        _ = try? await ecs.untagResource("t", keys: ["k"]); ecsCalls["untagResource"] = last()
        _ = try? await ec2.describeInstances(filters: [.tag("gamefleet:fleet", "x")])
        let byFilter = last()
        _ = try? await ec2.describeInstances(ids: ["i-1"]); ec2Calls["describeInstances"] = last()
        #expect(byFilter == last(), "both forms of describeInstances send DescribeInstances")
        _ = try? await ec2.describeNetworkInterfaces(ids: ["eni-1"]); ec2Calls["describeNetworkInterfaces"] = last()
        _ = try? await ec2.runInstances(EC2RunInstancesRequest(launchTemplate: .init(id: "lt-1", name: nil))); ec2Calls["runInstances"] = last()
        _ = try? await ec2.terminateInstances(ids: ["i-1"]); ec2Calls["terminateInstances"] = last()
        return (ecsCalls, ec2Calls)
    }

    @Test("Every ECSAPI and EC2API operation reaches the wire as the action of its name, and those are AWSPermissions.called")
    func codeMatchesTheList() async throws {
        let (ecs, ec2) = try await Self.wireActions()
        #expect(Set(ecs.keys) == (try Self.requirements("ECSAPI.swift")), "a protocol operation this test does not call")
        #expect(Set(ec2.keys) == (try Self.requirements("EC2API.swift")), "a protocol operation this test does not call")
        for (method, action) in ecs { #expect(action == "ecs:" + method.prefix(1).uppercased() + method.dropFirst(), "\(method) sent \(action)") }
        for (method, action) in ec2 { #expect(action == "ec2:" + method.prefix(1).uppercased() + method.dropFirst(), "\(method) sent \(action)") }
        let onTheWire = Set(ecs.values).union(ec2.values)
        #expect(onTheWire == Set(AWSPermissions.called.map(\.action)))
    }

    @Test("examples/iam-policy.json grants exactly AWSPermissions.actions: nothing missing, nothing extra")
    func policyMatchesTheList() throws {
        let granted = try Self.policyActions()
        let needed = AWSPermissions.actions
        #expect(needed.subtracting(granted).isEmpty, "missing from the policy: \(needed.subtracting(granted).sorted())")
        #expect(granted.subtracting(needed).isEmpty, "granted and never used: \(granted.subtracting(needed).sorted())")
        #expect(!granted.contains { $0.contains("*") }, "no wildcard actions")
    }
}

/// The lease store's calls against the `HighAvailabilityLease` grants.
@Suite("IAM policy against the lease store")
struct LeasePermissionsTests {
    @Test("The DynamoDB lease store calls exactly AWSPermissions.highAvailability, and the policy grants them on the lease table only")
    func leaseStoreMatchesTheList() async throws {
        let seen = Mutex<Set<String>>([])
        let transport = FakeHTTPTransport { request in
            let target = request.headers.first { $0.name.lowercased() == "x-amz-target" }?.value ?? "?"
            seen.withLock { _ = $0.insert("dynamodb:" + (target.split(separator: ".").last.map(String.init) ?? target)) }
            return TransportResponse(status: 200, headers: [HTTPHeaderField(name: "Content-Type", value: "application/x-amz-json-1.0")],
                                     text: target.hasSuffix("DescribeTable") ? #"{"Table":{"TableName":"t","KeySchema":[],"AttributeDefinitions":[]}}"# : "{}")
        }
        let configuration = AWSClientConfiguration(
            region: "us-east-1", credentials: CachedCredentialProvider.standard(environment: Moto.environment, transport: transport), transport: transport)
        let store = DynamoDBLeaseStore(client: try DynamoDBClient(configuration: configuration, endpoint: "http://127.0.0.1:9"), table: "t", fleet: "f")
        _ = try? await store.tableProblem()
        _ = try? await store.read()
        try? await store.write(LeaseRecord(holder: "h", address: "a:1", version: "v", leaseDurationMs: 3000), expecting: nil)
        try? await store.delete(version: "v")
        #expect(seen.withLock { $0 } == Set(AWSPermissions.highAvailability.map(\.action)))

        let data = try Data(contentsOf: PermissionsTests.root.appendingPathComponent("examples/iam-policy.json"))
        let policy = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let statements = try #require(policy["Statement"] as? [[String: Any]])
        // Two statements: the table check (DescribeTable supports no key condition) and the item
        // calls, held to the fleet's own item.
        let lease = statements.filter { ($0["Sid"] as? String ?? "").hasPrefix("HighAvailabilityLease") }
        #expect(Set(lease.flatMap { $0["Action"] as? [String] ?? [] }) == Set(AWSPermissions.highAvailability.map(\.action)))
        for statement in lease {
            #expect(statement["Resource"] as? String == "arn:aws:dynamodb:REGION:ACCOUNT_ID:table/gamefleet-leases", "scoped to the table, not *")
            let itemCalls = (statement["Action"] as? [String] ?? []).contains { $0 != "dynamodb:DescribeTable" }
            let leadingKeys = ((statement["Condition"] as? [String: Any])?["ForAllValues:StringEquals"] as? [String: Any])?["dynamodb:LeadingKeys"] as? [String]
            if itemCalls {
                #expect(leadingKeys == ["FLEET", "FLEET" + "#demand"], "\(statement["Sid"] ?? "?"): item calls only on the fleet's lease and its demand history")
                #expect(DynamoDBDemandHistoryStore.key(fleet: "FLEET") == "FLEET#demand")
            }
        }
        for statement in statements where !(statement["Sid"] as? String ?? "").hasPrefix("HighAvailabilityLease") {
            #expect(!(statement["Action"] as? [String] ?? []).contains { $0.hasPrefix("dynamodb:") })
        }
    }
}

/// Reading fleet.yaml kept in AWS against the `ReadTheFleetsConfig…` grants.
@Suite("IAM policy against the config sources")
struct ConfigSourcePermissionsTests {
    @Test("Reading ssm:NAME and s3://BUCKET/KEY calls exactly AWSPermissions.configSource, and the policy grants each on the one parameter or object")
    func configSourceMatchesTheList() async throws {
        let seen = Mutex<Set<String>>([])
        let transport = FakeHTTPTransport { request in
            if let target = request.headers.first(where: { $0.name.lowercased() == "x-amz-target" })?.value {
                seen.withLock { _ = $0.insert("ssm:" + (target.split(separator: ".").last.map(String.init) ?? target)) }
                return TransportResponse(status: 200, headers: [HTTPHeaderField(name: "Content-Type", value: "application/x-amz-json-1.1")],
                                         text: #"{"Parameter":{"Name":"/f","Type":"String","Value":"name: x","Version":1}}"#)
            }
            seen.withLock { _ = $0.insert(request.method == "GET" ? "s3:GetObject" : "s3:\(request.method)") }
            return TransportResponse(status: 200, headers: [HTTPHeaderField(name: "ETag", value: "\"e1\"")], text: "name: x")
        }
        // The address is never dialled: the fake transport answers.
        var environment = Moto.environment
        environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9"
        let configuration = AWSClientConfiguration(
            region: "us-east-1", credentials: CachedCredentialProvider.standard(environment: environment, transport: transport),
            transport: transport, environment: environment)
        for location in [ConfigLocation.ssm(name: "/gamefleet/chess/fleet.yaml"), .s3(bucket: "fleets", key: "chess/fleet.yaml")] {
            let source = try RemoteConfigSource(location: location, configuration: configuration)
            _ = try await source.fetch(unlessVersion: nil)
            _ = try await source.fetch(unlessVersion: "1")
        }
        #expect(seen.withLock { $0 } == Set(AWSPermissions.configSource.map(\.action)))

        let statements = try PolicyScopingTests.statements()
        let config = statements.filter { $0.sid.hasPrefix("ReadTheFleetsConfig") }
        #expect(Set(config.flatMap(\.actions)) == Set(AWSPermissions.configSource.map(\.action)))
        #expect(config.first { $0.actions == ["ssm:GetParameter"] }?.resources == ["arn:aws:ssm:REGION:ACCOUNT_ID:parameter/CONFIG_PARAMETER"],
                "the one parameter, not a path or *")
        #expect(config.first { $0.actions == ["s3:GetObject"] }?.resources == ["arn:aws:s3:::CONFIG_BUCKET/CONFIG_KEY"],
                "the one object, not the bucket's every key")
        for statement in statements where !statement.sid.hasPrefix("ReadTheFleetsConfig") {
            #expect(!statement.actions.contains { $0.hasPrefix("ssm:") || $0.hasPrefix("s3:") }, "\(statement.sid) grants a config read")
        }
    }
}

/// The CloudFormation template (examples/deploy/gamefleet.yaml) against the files it restates:
/// its task role is the IAM policy, its lease table has the key serve checks, its fleet.yaml is
/// valid, and its container starts as examples/deploy/task-definition.json's does. cfn-lint
/// checks the template against CloudFormation's schemas (scripts/lint-deploy.sh); it cannot be
/// deployed here.
@Suite("Deploy template against the policy and the code")
struct DeployTemplateTests {
    static func template() throws -> Node {
        let text = try String(contentsOf: PermissionsTests.root.appendingPathComponent("examples/deploy/gamefleet.yaml"), encoding: .utf8)
        return try #require(try Yams.compose(yaml: text))
    }

    static func resource(_ name: String) throws -> Node {
        try #require(try template()["Resources"]?[name]?["Properties"], "no resource \(name) with properties")
    }

    /// The policy file's placeholders for the template's `${…}` and `!Ref`s.
    static let placeholders: [String: String] = [
        "AWS::Partition": "aws", "AWS::Region": "REGION", "AWS::AccountId": "ACCOUNT_ID",
        "GameserverClusterName": "CLUSTER", "GameserverTaskDefinitionFamily": "FAMILY", "FleetName": "FLEET",
        "LaunchTemplateId": "LAUNCH_TEMPLATE_ID", "GameserverTaskRoleName": "GAMESERVER_TASK_ROLE",
        "GameserverExecutionRoleName": "GAMESERVER_EXECUTION_ROLE", "GameserverHostRoleName": "GAMESERVER_HOST_ROLE",
        "LeaseTable": "gamefleet-leases",
        // The parameter's name begins with "/", which its ARN does not repeat after "parameter".
        "FleetConfig": "/CONFIG_PARAMETER",
    ]

    struct Unresolved: Error, CustomStringConvertible {
        var description: String
    }

    /// Replaces each `${Name}` with `values[Name]` and each `${!Text}` with `${Text}`, as
    /// CloudFormation's Fn::Sub does; a name without a value throws.
    static func substitute(_ text: String, _ values: [String: String]) throws -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { throw Unresolved(description: "unclosed ${ in \(text)") }
            let name = rest[open.upperBound..<close]
            if name.hasPrefix("!") {
                out += "${" + name.dropFirst() + "}"
            } else {
                guard let value = values[String(name)] else { throw Unresolved(description: "no value for ${\(name)}") }
                out += value
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// A YAML node as JSON-like values, with `!Sub`, `!Ref`, `Fn::Sub` and `Ref` resolved by
    /// `values`. Other intrinsic functions throw: the statements use only these two.
    static func resolve(_ node: Node, _ values: [String: String]) throws -> Any {
        switch node {
        case .scalar(let scalar):
            return try intrinsic(scalar.tag.rawValue, scalar.string, values)
        case .sequence(let sequence):
            return try sequence.map { try resolve($0, values) }
        case .mapping(let mapping):
            let longForms = ["Fn::Sub": "!Sub", "Ref": "!Ref"]
            if mapping.count == 1, let only = mapping.first, let tag = only.key.string.flatMap({ longForms[$0] }), let text = only.value.string {
                return try intrinsic(tag, text, values)
            }
            var object: [String: Any] = [:]
            for (key, value) in mapping { object[key.string ?? ""] = try resolve(value, values) }
            return object
        case .alias:
            throw Unresolved(description: "aliases are not used in the template")
        }
    }

    /// A scalar's value: `!Sub` substituted, `!Ref` looked up, plain text as it is.
    static func intrinsic(_ tag: String, _ text: String, _ values: [String: String]) throws -> String {
        switch tag {
        case "!Sub": return try substitute(text, values)
        case "!Ref":
            guard let value = values[text] else { throw Unresolved(description: "no value for !Ref \(text)") }
            return value
        case let other where other.hasPrefix("!") && other != "!": throw Unresolved(description: "\(other) \(text) is not resolved here")
        default: return text
        }
    }

    /// JSON text with sorted keys, so two documents compare by content.
    static func canonical(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self)
    }

    /// Statements of the policy file the template leaves out, and why: only the config source in
    /// use needs its read, and the template keeps fleet.yaml in Parameter Store.
    static let notInTheTemplate: [String: String] = ["ReadTheFleetsConfigObject": "fleet.yaml is an SSM parameter (FleetConfig), not an S3 object"]

    @Test("The manager's task role grants exactly the statements of examples/iam-policy.json, in its order, but for the S3 config read")
    func taskRoleIsThePolicy() throws {
        let data = try Data(contentsOf: PermissionsTests.root.appendingPathComponent("examples/iam-policy.json"))
        let policy = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let all = try #require(policy["Statement"] as? [[String: Any]])
        let file = all.filter { Self.notInTheTemplate[$0["Sid"] as? String ?? ""] == nil }
        #expect(all.count - file.count == Self.notInTheTemplate.count, "a statement notInTheTemplate names is not in the policy file")
        let policies = try #require(try Self.resource("TaskRole")["Policies"]?.sequence)
        #expect(policies.count == 1, "one policy on the task role")
        let document = try #require(policies.first?["PolicyDocument"])
        #expect(document["Version"]?.string == policy["Version"] as? String)
        let template = try Self.resolve(try #require(document["Statement"]), Self.placeholders)
        let (a, b) = (try Self.canonical(file), try Self.canonical(template))
        if a != b {
            let fileLines = a.split(separator: "\n")
            let templateLines = b.split(separator: "\n")
            let first = zip(fileLines, templateLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(fileLines.count, templateLines.count)
            Issue.record("the template's statements differ from examples/iam-policy.json from line \(first + 1) of their canonical JSON: policy file \(fileLines.dropFirst(first).prefix(3)) / template \(templateLines.dropFirst(first).prefix(3))")
        }
    }

    @Test("The lease table has the key serve checks at start: a string hash key named fleet, nothing else")
    func leaseTableKey() throws {
        let table = try Self.resource("LeaseTable")
        let keys = try Self.resolve(try #require(table["KeySchema"]), [:]) as? [[String: String]]
        let attributes = try Self.resolve(try #require(table["AttributeDefinitions"]), [:]) as? [[String: String]]
        #expect(keys == [["AttributeName": DynamoDBLeaseStore.keyAttribute, "KeyType": "HASH"]])
        #expect(attributes == [["AttributeName": DynamoDBLeaseStore.keyAttribute, "AttributeType": "S"]])
    }

    @Test("The config parameter is a valid fleet.yaml whose faces and lease are the template's")
    func fleetConfigIsValid() throws {
        let value = try #require(try Self.resource("FleetConfig")["Value"])
        // `!Sub [text, variables]`: the text, with the stack's values as a deployment would have them.
        let parts = try #require(value.sequence, "the parameter's value is !Sub with a variable map")
        #expect(value.tag.rawValue == "!Sub")
        let text = try #require(parts.first?.string)
        let variables = Set(parts.dropFirst().first?.mapping?.keys.compactMap(\.string) ?? [])
        #expect(variables == ["Subnets", "SecurityGroups"])
        let stack = [
            "FleetName": "chess", "BackupAddress": "chess-backup.example.org:8888", "VpcCidr": "10.0.0.0/16",
            "LeaseTable": "gamefleet-leases", "AWS::Region": "us-east-1", "GameserverClusterName": "chess",
            "GameserverTaskDefinitionFamily": "chess-gameserver", "GamePort": "8888",
            "Subnets": "subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002", "SecurityGroups": "sg-0a1b2c3d4e5f60003",
        ]
        let yaml = try Self.substitute(text, stack)
        let environment = ["GAMEFLEET_ADMIN_TOKEN": "a-token-of-forty-characters-or-so-000000", "GAMEFLEET_ADVERTISE": "10.0.1.5:8001"]
        let spec: FleetSpec
        do {
            spec = try FleetLoader.parse(yaml, file: "gamefleet.yaml FleetConfig", environment: environment)
        } catch {
            Issue.record("the template's fleet.yaml is refused: \(error)\n\(yaml)")
            return
        }
        #expect(spec.name == "chess")
        #expect(spec.ha?.table == "gamefleet-leases")
        #expect(spec.listen.port == 8000, "the public target group's port")
        #expect(spec.admin.listen.port == 8001, "the admin target group's port")
        #expect(try Self.resource("PublicTargetGroup")["Port"]?.int == 8000)
        #expect(try Self.resource("PublicTargetGroup")["HealthCheckPath"]?.string == "/healthz")
        #expect(try Self.resource("AdminTargetGroup")["Port"]?.int == 8001)
        #expect(try Self.resource("AdminTargetGroup")["HealthCheckPath"]?.string == "/readyz")
        #expect(try Self.template()["Resources"]?["AdminLoadBalancer"]?["Properties"]?["Scheme"]?.string == "internal")
    }

    @Test("The container starts as examples/deploy/task-definition.json's does, with two replicas, serving the parameter itself")
    func containerMatchesTheTaskDefinition() throws {
        let data = try Data(contentsOf: PermissionsTests.root.appendingPathComponent("examples/deploy/task-definition.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let container = try #require((json["containerDefinitions"] as? [[String: Any]])?.first)
        let definition = try #require(try Self.resource("TaskDefinition")["ContainerDefinitions"]?.sequence?.first)
        #expect(definition["Command"]?.sequence?.compactMap(\.string) == container["command"] as? [String])
        #expect(definition["EntryPoint"]?.sequence?.compactMap(\.string) == container["entryPoint"] as? [String])
        #expect(definition["User"]?.string == container["user"] as? String)
        #expect(try Self.resource("Service")["DesiredCount"]?.int == 2)

        // serve reads the parameter itself (`--config ssm:NAME`, polled), not a copy written once.
        let command = (container["command"] as? [String] ?? []).joined(separator: " ")
        #expect(command.contains(#"serve --config "$GAMEFLEET_CONFIG""#), "\(command)")
        #expect(!command.contains("/tmp/fleet.yaml") && !command.contains("FLEET_YAML"), "\(command)")
        let stack = ["FleetConfig": "/gamefleet/chess/fleet.yaml", "AWS::Region": "us-east-1", "FleetName": "chess"]
        let environmentNode = try #require(definition["Environment"])
        let environment = try #require(try Self.resolve(environmentNode, stack) as? [[String: String]])
        let fileEnvironment = try #require(container["environment"] as? [[String: String]])
        func variables(_ list: [[String: String]], name: String, value: String) -> [String: String] {
            Dictionary(list.map { ($0[name] ?? "", $0[value] ?? "") }, uniquingKeysWith: { a, _ in a })
        }
        let template = variables(environment, name: "Name", value: "Value")
        #expect(template == variables(fileEnvironment, name: "name", value: "value"))
        #expect(template["GAMEFLEET_CONFIG"] == "ssm:/gamefleet/chess/fleet.yaml")
        #expect(template["AWS_REGION"] == "us-east-1", "a config kept in AWS takes its region from the environment")
        let nameNode = try #require(try Self.resource("FleetConfig")["Name"])
        let parameterName = try Self.resolve(nameNode, stack) as? String
        #expect(parameterName.map { "ssm:" + $0 } == template["GAMEFLEET_CONFIG"], "serve reads the stack's own parameter")
        #expect(definition["Secrets"]?.sequence?.compactMap { $0["Name"]?.string } == ["GAMEFLEET_ADMIN_TOKEN"])
    }
}
