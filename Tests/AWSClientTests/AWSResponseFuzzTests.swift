import AWSClient
import Foundation
import FuzzSupport
import PropertyBased
import Testing
@testable import AWSClient

/// Mutated AWS answers through the real clients (over the fake transport): ECS JSON and EC2 XML
/// never crash or hang the client; each call returns a value or throws an error naming the service
/// and operation.
@Suite("Fuzzing AWS responses")
struct AWSResponseFuzzTests {
    static let ecsOperations = ["DescribeTasks", "ListTasks", "DescribeTaskDefinition", "DescribeContainerInstances", "RunTask"]
    static let ecs = Mutator(
        seeds: [
            #"{"tasks":[{"taskArn":"arn:aws:ecs:us-east-1:123456789012:task/gamefleet/abc","taskDefinitionArn":"arn:aws:ecs:us-east-1:123456789012:task-definition/gameserver:3","clusterArn":"arn:aws:ecs:us-east-1:123456789012:cluster/gamefleet","lastStatus":"RUNNING","desiredStatus":"RUNNING","startedBy":"gamefleet/a","launchType":"EC2","group":"family:gameserver","createdAt":1710495045.123,"startedAt":1710495050,"containerInstanceArn":"arn:aws:ecs:us-east-1:123456789012:container-instance/gamefleet/ci-1","attachments":[{"id":"att-1","type":"ElasticNetworkInterface","status":"ATTACHED","details":[{"name":"subnetId","value":"subnet-1"},{"name":"networkInterfaceId","value":"eni-0123"},{"name":"privateIPv4Address","value":"10.0.1.17"}]}],"containers":[{"name":"gameserver","lastStatus":"RUNNING","networkBindings":[{"bindIP":"0.0.0.0","containerPort":7777,"hostPort":32768,"protocol":"udp"}],"networkInterfaces":[{"attachmentId":"att-1","privateIpv4Address":"10.0.1.17"}]}],"tags":[{"key":"gamefleet:fleet","value":"a"}],"cpu":"256","memory":"512"}],"failures":[{"arn":"arn:x","reason":"MISSING"}]}"#,
            #"{"taskArns":["arn:aws:ecs:us-east-1:123456789012:task/gamefleet/a","arn:aws:ecs:us-east-1:123456789012:task/gamefleet/b"],"nextToken":"page-2"}"#,
            #"{"taskDefinition":{"taskDefinitionArn":"arn:td/gameserver:3","family":"gameserver","revision":3,"networkMode":"bridge","status":"ACTIVE","containerDefinitions":[{"name":"gameserver","image":"img","memory":256,"portMappings":[{"containerPort":7777,"hostPort":0,"protocol":"udp"},{"containerPort":8080}]}]}}"#,
            #"{"containerInstances":[{"containerInstanceArn":"ci-1","ec2InstanceId":"i-1","status":"ACTIVE"}],"failures":[]}"#,
            #"{"tasks":[{"taskArn":"arn:aws:ecs:us-east-1:123456789012:task/gamefleet/new","lastStatus":"PROVISIONING","createdAt":1710495045}],"failures":[{"reason":"RESOURCE:CPU"}]}"#,
            #"{"__type":"ClientException","message":"Task definition does not exist."}"#,
        ].map { Array($0.utf8) },
        nesting: ["[", "{\"a\":", "{\"tasks\":["],
        dictionary: ["\"createdAt\":", "\"hostPort\":", "\"containerPort\":", "\"revision\":", "\"nextToken\":", "\"__type\":",
                     "\"tasks\":", "\"failures\":", "null", "1e308", "-1e308", "\\u0000", "\\ud800"])

    static let ec2 = Mutator(
        seeds: [
            EC2ClientTests.describeInstancesPage1, EC2ClientTests.describeInstancesPage2,
            "<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID 'i-1' does not exist</Message></Error></Errors><RequestID>r-1</RequestID></Response>",
            "<?xml version=\"1.0\"?><!-- a comment --><DescribeInstancesResponse><reservationSet><item><instancesSet><item><instanceId>i-&amp;&#x41;&#65;</instanceId><launchTime>2024-03-15T09:30:45Z</launchTime><![CDATA[<text>]]></item></instancesSet></item></reservationSet></DescribeInstancesResponse>",
        ].map { Array($0.utf8) },
        nesting: ["<item>", "<a>", "<!--", "<![CDATA["],
        dictionary: ["<nextToken>t</nextToken>", "</item>", "&#x110000;", "&#0;", "&#xD800;", "&#99999999999;", "&amp;", "&", "<!DOCTYPE a [<!ENTITY x 'y'>]>",
                     "<?xml ", "?>", "=\"", "<launchTime>", "</launchTime>", "<instanceState><code>16</code><name>running</name></instanceState>"])

    /// What a call came to: a value, or an error's type and text.
    enum Outcome: Sendable {
        case answered
        case failed(type: String, text: String)
    }

    static func client<C>(_ make: (AWSClientConfiguration) throws -> C, status: Int, body: [UInt8], contentType: String) throws -> C {
        let transport = FakeHTTPTransport { _ in
            TransportResponse(status: status, headers: [HTTPHeaderField(name: "Content-Type", value: contentType)], body: body)
        }
        return try make(Fixtures.configuration(transport: transport, retryPolicy: .none))
    }

    static func outcome(_ body: () async throws -> Void) async -> Outcome {
        do {
            try await body()
            return .answered
        } catch {
            return .failed(type: "\(type(of: error))", text: "\(error)")
        }
    }

    /// Records an issue when a call failed with something other than the clients' two error types,
    /// or with a text that does not name the service and operation.
    static func checkFailure(_ outcome: Outcome, operation: String, service: String, input: FuzzInput) {
        guard case .failed(let type, let text) = outcome else { return }
        if type != "AWSCallError" && type != "AWSServiceError" {
            Issue.record("\(operation) failed with \(type): \(text.prefix(500)) from \(input)")
        } else if !(text.hasPrefix(service + " " + operation + " failed")) {
            Issue.record("\(operation)'s error does not name the call: \(text.prefix(500)) from \(input)")
        }
    }

    /// One ECS call, chosen by the seed the input started from, answered with the input.
    static func ecsCall(_ input: FuzzInput) async -> (operation: String, outcome: Outcome) {
        let operation = ecsOperations[input.seed % ecsOperations.count]
        // Mostly 200s; now and then the body arrives as an error answer instead.
        let pick = input.bytes.count % 10
        let status = pick == 0 ? 400 : pick == 1 ? 500 : 200
        let outcome = await Self.outcome {
            let ecs = try Self.client({ try ECSClient(configuration: $0) }, status: status, body: input.bytes, contentType: ECSClient.contentType)
            switch operation {
            case "DescribeTasks": _ = try await ecs.describeTasks(cluster: "c", tasks: ["a", "b"])
            case "ListTasks": _ = try await ecs.listTasks(ECSListTasksRequest(cluster: "c"))
            case "DescribeTaskDefinition": _ = try await ecs.describeTaskDefinition("gameserver:3")
            case "DescribeContainerInstances": _ = try await ecs.describeContainerInstances(cluster: "c", containerInstances: ["ci-1"])
            default: _ = try await ecs.runTask(ECSRunTaskRequest(cluster: "c", taskDefinition: "gameserver:3", count: 1))
            }
        }
        return (operation, outcome)
    }

    @Test func noMutatedECSAnswerCrashesOrHangsTheClient() async {
        await Fuzz.runAsync(Self.ecs, check: { await Self.ecsCall($0) }) { input, result in
            Self.checkFailure(result.outcome, operation: result.operation, service: "ecs", input: input)
        }
    }

    @Test func noMutatedEC2AnswerCrashesOrHangsTheClient() async {
        await Fuzz.runAsync(Self.ec2, check: { input -> Outcome in
            let pick = input.bytes.count % 10
            let status = pick == 0 ? 400 : pick == 1 ? 503 : 200
            return await Self.outcome {
                let ec2 = try Self.client({ try EC2Client(configuration: $0) }, status: status, body: input.bytes, contentType: "text/xml;charset=UTF-8")
                _ = try await ec2.describeInstances(ids: ["i-0123456789abcdef0"])
            }
        }) { input, outcome in
            Self.checkFailure(outcome, operation: "DescribeInstances", service: "ec2", input: input)
        }
    }

    /// The XML reader on its own, where most of EC2's hostile input lands.
    @Test func noMutatedDocumentCrashesOrHangsTheXMLReader() async {
        await Fuzz.run(Self.ec2, check: { input -> String? in
            do { _ = try XMLTree.parse(input.bytes); return nil } catch { return "\(error)" }
        }) { input, error in
            if let error { #expect(error.hasPrefix("XML error at byte "), "an unclear XML error \(error) from \(input)") }
        }
    }
}
