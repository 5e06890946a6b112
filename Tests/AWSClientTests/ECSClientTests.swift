import AWSClient
import Foundation
import Testing

/// The ECS client's requests and decoding, against the fake transport.
@Suite("ECS client")
struct ECSClientTests {
    func client(_ transport: FakeHTTPTransport) throws -> ECSClient {
        try ECSClient(configuration: Fixtures.configuration(transport: transport))
    }

    @Test("ListTasks follows nextToken through every page, keeping the filters")
    func listTasksPages() async throws {
        let transport = FakeHTTPTransport([
            Fixtures.json(#"{"taskArns":["t1","t2"],"nextToken":"page-2"}"#),
            Fixtures.json(#"{"taskArns":["t3"],"nextToken":"page-3"}"#),
            Fixtures.json(#"{"taskArns":[]}"#),
        ])
        let arns = try await client(transport).listTasks(
            ECSListTasksRequest(cluster: "gamefleet", startedBy: "gamefleet/a", desiredStatus: "RUNNING", family: "gameserver")
        )

        #expect(arns == ["t1", "t2", "t3"])
        #expect(transport.requests.map { $0.headers.value(for: "X-Amz-Target") } == Array(repeating: "AmazonEC2ContainerServiceV20141113.ListTasks", count: 3))
        #expect(
            transport.requests.map(Fixtures.body) == [
                #"{"cluster":"gamefleet","desiredStatus":"RUNNING","family":"gameserver","startedBy":"gamefleet/a"}"#,
                #"{"cluster":"gamefleet","desiredStatus":"RUNNING","family":"gameserver","nextToken":"page-2","startedBy":"gamefleet/a"}"#,
                #"{"cluster":"gamefleet","desiredStatus":"RUNNING","family":"gameserver","nextToken":"page-3","startedBy":"gamefleet/a"}"#,
            ]
        )
    }

    @Test("ListTasks stops on a repeated page token instead of looping")
    func listTasksLoop() async throws {
        let transport = FakeHTTPTransport([
            Fixtures.json(#"{"taskArns":["t1"],"nextToken":"same"}"#),
            Fixtures.json(#"{"taskArns":["t1"],"nextToken":"same"}"#),
        ])
        await #expect(throws: AWSCallError.self) { try await client(transport).listTasks(ECSListTasksRequest()) }
        #expect(transport.requests.count == 2)
    }

    @Test("DescribeTasks splits 250 ARNs into batches of 100, asks for tags and joins the results")
    func describeTasksBatches() async throws {
        let arns = (1...250).map { "arn:aws:ecs:us-east-1:123456789012:task/gamefleet/\($0)" }
        let transport = FakeHTTPTransport { request in
            let input = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any] ?? [:]
            let asked = input["tasks"] as? [String] ?? []
            let tasks = asked.dropLast().map { #"{"taskArn":"\#($0)","lastStatus":"RUNNING"}"# }.joined(separator: ",")
            let failure = #"{"arn":"\#(asked.last ?? "")","reason":"MISSING"}"#
            return TransportResponse(status: 200, text: #"{"tasks":[\#(tasks)],"failures":[\#(failure)]}"#)
        }

        let result = try await client(transport).describeTasks(cluster: "gamefleet", tasks: arns)

        #expect(transport.requests.count == 3)
        let batches = try transport.requests.map { try Fixtures.jsonBody($0)["tasks"] as? [String] ?? [] }
        #expect(batches.map(\.count) == [100, 100, 50])
        #expect(batches.flatMap { $0 } == arns)
        #expect(try transport.requests.allSatisfy { try Fixtures.jsonBody($0)["include"] as? [String] == ["TAGS"] })
        #expect(try transport.requests.allSatisfy { try Fixtures.jsonBody($0)["cluster"] as? String == "gamefleet" })
        #expect(result.tasks.count == 247)
        #expect(result.failures.map(\.arn) == [arns[99], arns[199], arns[249]])
        #expect(result.failures.allSatisfy { $0.reason == "MISSING" })
    }

    @Test("DescribeTasks of nothing sends nothing")
    func describeNothing() async throws {
        let transport = FakeHTTPTransport()
        let result = try await client(transport).describeTasks(cluster: "gamefleet", tasks: [])
        #expect(result == ECSTasksResult())
        #expect(transport.requests.isEmpty)
    }

    @Test("DescribeTasks decodes what gamefleet reads from a task")
    func describeTaskFields() async throws {
        let body = """
            {"tasks":[{
              "taskArn":"arn:aws:ecs:us-east-1:123456789012:task/gamefleet/abc",
              "taskDefinitionArn":"arn:aws:ecs:us-east-1:123456789012:task-definition/gameserver:3",
              "clusterArn":"arn:aws:ecs:us-east-1:123456789012:cluster/gamefleet",
              "lastStatus":"RUNNING","desiredStatus":"RUNNING","startedBy":"gamefleet/a",
              "launchType":"EC2","group":"family:gameserver",
              "createdAt":1710495045.123,"startedAt":1710495050,
              "containerInstanceArn":"arn:aws:ecs:us-east-1:123456789012:container-instance/gamefleet/ci-1",
              "attachments":[{"id":"att-1","type":"ElasticNetworkInterface","status":"ATTACHED","details":[
                {"name":"subnetId","value":"subnet-1"},
                {"name":"networkInterfaceId","value":"eni-0123"},
                {"name":"privateIPv4Address","value":"10.0.1.17"}]}],
              "containers":[{"name":"gameserver","lastStatus":"RUNNING",
                "networkBindings":[{"bindIP":"0.0.0.0","containerPort":7777,"hostPort":32768,"protocol":"udp"}],
                "networkInterfaces":[{"attachmentId":"att-1","privateIpv4Address":"10.0.1.17"}]}],
              "tags":[{"key":"gamefleet:fleet","value":"a"},{"key":"gamefleet:state","value":"active"}],
              "cpu":"256","memory":"512","someFieldAddedLater":{"x":1}
            }],"failures":[]}
            """
        let transport = FakeHTTPTransport([Fixtures.json(body)])
        let result = try await client(transport).describeTasks(cluster: nil, tasks: ["abc"], includeTags: false)

        #expect(try Fixtures.jsonBody(#require(transport.requests.first))["include"] == nil)
        #expect(try Fixtures.jsonBody(#require(transport.requests.first))["cluster"] == nil)
        let task = try #require(result.tasks.first)
        #expect(task.taskArn == "arn:aws:ecs:us-east-1:123456789012:task/gamefleet/abc")
        #expect(task.taskDefinitionArn == "arn:aws:ecs:us-east-1:123456789012:task-definition/gameserver:3")
        #expect(task.lastStatus == "RUNNING")
        #expect(task.desiredStatus == "RUNNING")
        #expect(task.startedBy == "gamefleet/a")
        #expect(task.launchType == "EC2")
        #expect(task.createdAt == Date(timeIntervalSince1970: 1_710_495_045.123))
        #expect(task.startedAt == Date(timeIntervalSince1970: 1_710_495_050))
        #expect(task.stoppedAt == nil)
        #expect(task.containerInstanceArn == "arn:aws:ecs:us-east-1:123456789012:container-instance/gamefleet/ci-1")
        #expect(task.networkInterfaceID == "eni-0123")
        #expect(task.privateIPv4Address == "10.0.1.17")
        #expect(task.attachments.first?.detail("subnetId") == "subnet-1")
        #expect(task.containers.first?.networkBindings == [.init(bindIP: "0.0.0.0", containerPort: 7777, hostPort: 32768, protocol: "udp")])
        #expect(task.containers.first?.networkInterfaces.first?.privateIpv4Address == "10.0.1.17")
        #expect(task.tag("gamefleet:state") == "active")
        #expect(task.tag("absent") == nil)
    }

    @Test("A minimal task (as moto sends it) decodes with empty lists and no times")
    func minimalTask() async throws {
        let transport = FakeHTTPTransport([
            Fixtures.json(#"{"tasks":[{"taskArn":"t","startedBy":"","launchType":"","stoppedReason":""}]}"#)
        ])
        let task = try #require(try await client(transport).describeTasks(cluster: "c", tasks: ["t"]).tasks.first)
        #expect(task == ECSTask(taskArn: "t"))
    }

    struct CountCase: Sendable, CustomTestStringConvertible {
        var count: Int?
        var accepted: Bool
        var testDescription: String { "count \(count.map(String.init) ?? "nil") \(accepted ? "sent" : "rejected")" }
    }

    @Test("RunTask accepts 1 to 10 tasks and rejects other counts before sending", arguments: [
        CountCase(count: nil, accepted: true), CountCase(count: 1, accepted: true), CountCase(count: 10, accepted: true),
        CountCase(count: 11, accepted: false), CountCase(count: 0, accepted: false), CountCase(count: -3, accepted: false),
    ])
    func runTaskCount(testCase: CountCase) async throws {
        let transport = FakeHTTPTransport([Fixtures.json(#"{"tasks":[],"failures":[]}"#)])
        let request = ECSRunTaskRequest(cluster: "c", taskDefinition: "td", count: testCase.count)
        if testCase.accepted {
            _ = try await client(transport).runTask(request)
            #expect(transport.requests.count == 1)
        } else {
            let error = try await #require(throws: AWSCallError.self) { try await client(transport).runTask(request) }
            #expect(error.attempts == 0)
            #expect(error.description.contains("count must be between 1 and 10"))
            #expect(transport.requests.isEmpty)
        }
    }

    @Test("RunTask sends every option and surfaces failures[] to the caller")
    func runTaskOptionsAndFailures() async throws {
        let transport = FakeHTTPTransport([
            Fixtures.json(
                #"{"tasks":[{"taskArn":"t1","lastStatus":"PROVISIONING"}],"failures":[{"arn":"arn:ci/1","reason":"RESOURCE:MEMORY"},{"reason":"AGENT","detail":"agent disconnected"}]}"#
            )
        ])
        let result = try await client(transport).runTask(
            ECSRunTaskRequest(
                cluster: "gamefleet",
                taskDefinition: "gameserver",
                count: 3,
                startedBy: "gamefleet/a",
                tags: [ECSTag(key: "k", value: "v")],
                clientToken: "tok",
                networkConfiguration: .init(awsvpcConfiguration: .init(subnets: ["subnet-1"], securityGroups: ["sg-1"], assignPublicIp: "DISABLED")),
                capacityProviderStrategy: [.init(capacityProvider: "spot", weight: 2, base: 1)],
                overrides: .init(containerOverrides: [.init(name: "gameserver", command: ["--port", "7777"], environment: [ECSKeyValuePair(name: "MODE", value: "ranked")])])
            )
        )

        #expect(result.tasks.map(\.taskArn) == ["t1"])
        #expect(result.failures == [ECSFailure(arn: "arn:ci/1", reason: "RESOURCE:MEMORY"), ECSFailure(reason: "AGENT", detail: "agent disconnected")])
        let request = try #require(transport.requests.first)
        #expect(request.headers.value(for: "X-Amz-Target") == "AmazonEC2ContainerServiceV20141113.RunTask")
        #expect(
            Fixtures.body(request)
                == #"{"capacityProviderStrategy":[{"base":1,"capacityProvider":"spot","weight":2}],"clientToken":"tok","cluster":"gamefleet","count":3,"#
                + #""networkConfiguration":{"awsvpcConfiguration":{"assignPublicIp":"DISABLED","securityGroups":["sg-1"],"subnets":["subnet-1"]}},"#
                + #""overrides":{"containerOverrides":[{"command":["--port","7777"],"environment":[{"name":"MODE","value":"ranked"}],"name":"gameserver"}]},"#
                + #""startedBy":"gamefleet/a","tags":[{"key":"k","value":"v"}],"taskDefinition":"gameserver"}"#
        )
    }

    @Test("StopTask, TagResource and UntagResource send what ECS expects")
    func stopAndTagging() async throws {
        let transport = FakeHTTPTransport([
            Fixtures.json(#"{"task":{"taskArn":"t1","desiredStatus":"STOPPED","lastStatus":"RUNNING","stoppedReason":"scale in"}}"#),
            Fixtures.json("{}"),
            Fixtures.json("{}"),
        ])
        let ecs = try client(transport)

        let stopped = try await ecs.stopTask(cluster: "gamefleet", task: "t1", reason: "scale in")
        try await ecs.tagResource("t1", tags: [ECSTag(key: "gamefleet:state", value: "draining")])
        try await ecs.untagResource("t1", tagKeys: ["gamefleet:state"])

        #expect(stopped.desiredStatus == "STOPPED")
        #expect(stopped.stoppedReason == "scale in")
        #expect(transport.requests.map { $0.headers.value(for: "X-Amz-Target") ?? "" } == [
            "AmazonEC2ContainerServiceV20141113.StopTask",
            "AmazonEC2ContainerServiceV20141113.TagResource",
            "AmazonEC2ContainerServiceV20141113.UntagResource",
        ])
        #expect(transport.requests.map(Fixtures.body) == [
            #"{"cluster":"gamefleet","reason":"scale in","task":"t1"}"#,
            #"{"resourceArn":"t1","tags":[{"key":"gamefleet:state","value":"draining"}]}"#,
            #"{"resourceArn":"t1","tagKeys":["gamefleet:state"]}"#,
        ])
    }

    @Test("DescribeTaskDefinition reads port mappings and network mode")
    func describeTaskDefinition() async throws {
        let transport = FakeHTTPTransport([
            Fixtures.json(
                #"{"taskDefinition":{"taskDefinitionArn":"arn:td/gameserver:3","family":"gameserver","revision":3,"networkMode":"bridge","status":"ACTIVE","containerDefinitions":[{"name":"gameserver","image":"img","memory":256,"portMappings":[{"containerPort":7777,"hostPort":0,"protocol":"udp"},{"containerPort":8080}]}]}}"#
            )
        ])
        let definition = try await client(transport).describeTaskDefinition("gameserver:3")

        #expect(Fixtures.body(transport.requests[0]) == #"{"taskDefinition":"gameserver:3"}"#)
        #expect(definition.networkMode == "bridge")
        #expect(definition.revision == 3)
        #expect(definition.containerDefinitions.first?.portMappings == [
            .init(containerPort: 7777, hostPort: 0, protocol: "udp"), .init(containerPort: 8080),
        ])
    }

    @Test("RegisterTaskDefinition leaves out the fields ECS assigns")
    func registerTaskDefinition() async throws {
        let transport = FakeHTTPTransport([Fixtures.json(#"{"taskDefinition":{"family":"gs","revision":1,"containerDefinitions":[]}}"#)])
        var definition = ECSTaskDefinition(
            family: "gs",
            containerDefinitions: [.init(name: "gs", image: "img", memory: 128, portMappings: [.init(containerPort: 8888, hostPort: 8888)])],
            networkMode: "bridge"
        )
        definition.revision = 7
        definition.taskDefinitionArn = "arn:old"
        let registered = try await client(transport).registerTaskDefinition(definition)

        #expect(registered.revision == 1)
        #expect(
            Fixtures.body(transport.requests[0])
                == #"{"containerDefinitions":[{"image":"img","memory":128,"name":"gs","portMappings":[{"containerPort":8888,"hostPort":8888}]}],"family":"gs","networkMode":"bridge"}"#
        )
    }

    @Test("DescribeContainerInstances batches by 100 and reads the EC2 instance id")
    func describeContainerInstances() async throws {
        let arns = (1...101).map { "ci-\($0)" }
        let transport = FakeHTTPTransport { request in
            let asked = (try? Fixtures.jsonBody(request)["containerInstances"] as? [String]) ?? []
            let items = asked.map { #"{"containerInstanceArn":"\#($0)","ec2InstanceId":"i-\#($0)","status":"ACTIVE"}"# }.joined(separator: ",")
            return TransportResponse(status: 200, text: #"{"containerInstances":[\#(items)],"failures":[]}"#)
        }
        let result = try await client(transport).describeContainerInstances(cluster: "gamefleet", containerInstances: arns)

        #expect(transport.requests.count == 2)
        #expect(result.containerInstances.count == 101)
        #expect(result.containerInstances.last?.ec2InstanceId == "i-ci-101")
    }
}
