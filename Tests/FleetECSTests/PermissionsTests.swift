import AWSClient
import FleetCore
import FleetECS
import Foundation
import Synchronization
import Testing

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
        let lease = try #require(statements.first { $0["Sid"] as? String == "HighAvailabilityLease" })
        #expect(Set(lease["Action"] as? [String] ?? []) == Set(AWSPermissions.highAvailability.map(\.action)))
        #expect((lease["Resource"] as? String)?.hasPrefix("arn:aws:dynamodb:") == true, "scoped to the table, not *")
        for statement in statements where statement["Sid"] as? String != "HighAvailabilityLease" {
            #expect(!(statement["Action"] as? [String] ?? []).contains { $0.hasPrefix("dynamodb:") })
        }
    }
}
