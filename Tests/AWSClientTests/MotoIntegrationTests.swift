import AWSClient
import AWSSigV4
import Foundation
import Testing

/// The clients against moto's real server over real HTTP on 127.0.0.1.
///
/// Every test starts from a wiped moto (`/moto-api/reset`) with ECS tasks frozen in their
/// state, builds the little world it needs, and talks only to moto: no request goes to any
/// address moto makes up for its instances.
///
/// What moto does differently from AWS, as found while writing these (each is pinned below):
/// - it ignores RunTask's `clientToken`: the same token launches again;
/// - when a task does not fit (a host port already taken), RunTask returns no task and an empty
///   `failures` list, where ECS reports a `RESOURCE:PORTS` failure;
/// - RunTask on a cluster without container instances, and any awsvpc task (a moto bug
///   reading the network interface), crash into an HTML 500 page instead of an AWS error;
/// - tasks carry no `createdAt`/`startedAt` (and an empty `launchType` when none was given),
///   and move one state towards STOPPED on every DescribeTasks unless frozen through
///   `/moto-api/state-manager/set-transition`;
/// - StopTask sets `lastStatus` to STOPPED at once; ECS passes through DEACTIVATING…STOPPING;
/// - it never paginates, and accepts any keys as long as the request is SigV4-signed (the
///   credential scope's service name is how it routes ECS and EC2 calls on one port).
@Suite("moto integration", .serialized)
struct MotoIntegrationTests {
    static let region = "us-east-1"
    static let cluster = "gamefleet-it"

    /// What a test works with: clients pointed at moto, and a cluster with one registered
    /// EC2 container instance in a 127.0.0.0/24 subnet.
    struct World {
        var ecs: ECSClient
        var ec2: EC2Client
        var transport: AsyncHTTPClientTransport
        var motoURL: String
        var taskDefinition: ECSTaskDefinition
        var instance: EC2Instance
        var containerInstance: ECSContainerInstance
    }

    /// Clients configured for moto over `transport`.
    static func clients(_ url: String, transport: AsyncHTTPClientTransport, retryPolicy: RetryPolicy = .standard, clock: TestClock = TestClock()) throws -> (ECSClient, EC2Client) {
        let configuration = AWSClientConfiguration(
            region: region,
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDMOTO", secretAccessKey: "moto-accepts-any-secret")),
            transport: transport,
            retryPolicy: retryPolicy,
            timeout: .seconds(30),
            clock: clock
        )
        return (try ECSClient(configuration: configuration, endpoint: url), try EC2Client(configuration: configuration, endpoint: url))
    }

    /// Sends a moto control request and insists it succeeded.
    static func moto(_ path: String, _ body: String = "", url: String, transport: AsyncHTTPClientTransport) async throws {
        let response = try await transport.send(TransportRequest(method: "POST", url: url + path, body: Array(body.utf8)), timeout: .seconds(30))
        try #require(response.isSuccess, "moto \(path) answered \(response.status): \(response.bodyText.prefix(200))")
    }

    /// Runs `body` in a fresh world.
    static func withWorld(_ body: (World) async throws -> Void) async throws {
        let url = try await MotoServer.shared.url()
        try await AsyncHTTPClientTransport.with { transport in
            try await moto("/moto-api/reset", url: url, transport: transport)
            try await moto(
                "/moto-api/state-manager/set-transition",
                #"{"model_name":"ecs::task","transition":{"progression":"manual","times":1000000}}"#,
                url: url,
                transport: transport
            )
            let (ecs, ec2) = try clients(url, transport: transport)

            let cluster = try await ecs.createCluster(cluster)
            #expect(cluster.clusterName == Self.cluster)
            #expect(cluster.status == "ACTIVE")

            let taskDefinition = try await ecs.registerTaskDefinition(
                ECSTaskDefinition(
                    family: "gameserver",
                    containerDefinitions: [
                        ECSContainerDefinition(
                            name: "gameserver",
                            image: "gamefleet/sample-gameserver:test",
                            memory: 128,
                            essential: true,
                            portMappings: [.init(containerPort: 8888, hostPort: 8888)]
                        )
                    ],
                    networkMode: "bridge"
                )
            )

            let vpc = try await ec2.createVpc(cidrBlock: "127.0.0.0/16")
            let subnet = try await ec2.createSubnet(vpcID: vpc, cidrBlock: "127.0.0.0/24")
            let launched = try await ec2.runInstances(EC2RunInstancesRequest(imageID: "ami-12c6146b", instanceType: "t3.micro", subnetID: subnet))
            let instance = try #require(launched.first)
            #expect(launched.count == 1)

            let document = #"{"instanceId":"\#(instance.instanceID)","region":"\#(region)","availabilityZone":"us-east-1a","instanceType":"t3.micro","imageId":"ami-12c6146b"}"#
            let containerInstance = try await ecs.registerContainerInstance(cluster: Self.cluster, instanceIdentityDocument: document)

            try await body(
                World(ecs: ecs, ec2: ec2, transport: transport, motoURL: url, taskDefinition: taskDefinition, instance: instance, containerInstance: containerInstance)
            )
        }
    }

    @Test("Setup: cluster, bridge task definition with 8888:8888, an instance at 127.0.0.x registered in the cluster")
    func setup() async throws {
        try await Self.withWorld { world in
            #expect(world.taskDefinition.family == "gameserver")
            #expect(world.taskDefinition.revision == 1)
            #expect(world.taskDefinition.taskDefinitionArn?.hasSuffix(":task-definition/gameserver:1") == true)

            let described = try await world.ecs.describeTaskDefinition("gameserver")
            #expect(described.networkMode == "bridge")
            #expect(described.containerDefinitions.map(\.name) == ["gameserver"])
            #expect(described.containerDefinitions.first?.portMappings == [.init(containerPort: 8888, hostPort: 8888)])

            #expect(world.instance.instanceID.hasPrefix("i-"))
            #expect(world.instance.privateIPAddress?.hasPrefix("127.0.0.") == true)
            #expect(world.containerInstance.ec2InstanceId == world.instance.instanceID)
            #expect(world.containerInstance.status == "ACTIVE")
        }
    }

    @Test("RunTask with startedBy, tags and a client token; ListTasks by startedBy; DescribeTasks with tags")
    func runListDescribe() async throws {
        try await Self.withWorld { world in
            let started = try await world.ecs.runTask(
                ECSRunTaskRequest(
                    cluster: Self.cluster,
                    taskDefinition: "gameserver",
                    startedBy: "gamefleet/it",
                    tags: [ECSTag(key: "gamefleet:fleet", value: "it"), ECSTag(key: "gamefleet:state", value: "active")],
                    clientToken: "it-run-1",
                    launchType: "EC2"
                )
            )
            #expect(started.failures.isEmpty)
            let task = try #require(started.tasks.first)
            #expect(started.tasks.count == 1)
            #expect(task.startedBy == "gamefleet/it")
            #expect(task.lastStatus == "RUNNING")
            #expect(task.containerInstanceArn == world.containerInstance.containerInstanceArn)
            #expect(task.taskDefinitionArn == world.taskDefinition.taskDefinitionArn)

            #expect(try await world.ecs.listTasks(ECSListTasksRequest(cluster: Self.cluster, startedBy: "gamefleet/it")) == [task.taskArn])
            #expect(try await world.ecs.listTasks(ECSListTasksRequest(cluster: Self.cluster, startedBy: "someone-else")).isEmpty)
            #expect(try await world.ecs.listTasks(ECSListTasksRequest(cluster: Self.cluster, family: "gameserver")) == [task.taskArn])

            let described = try await world.ecs.describeTasks(cluster: Self.cluster, tasks: [task.taskArn])
            let seen = try #require(described.tasks.first)
            #expect(described.tasks.count == 1)
            #expect(seen.taskArn == task.taskArn)
            #expect(seen.desiredStatus == "RUNNING")
            #expect(seen.lastStatus == "RUNNING", "tasks are frozen, so describing them does not move them")
            #expect(seen.tag("gamefleet:fleet") == "it")
            #expect(seen.tag("gamefleet:state") == "active")
            #expect(seen.containers.map(\.name) == ["gameserver"])
            #expect(seen.launchType == "EC2")
            // moto leaves the times out; the decoder must cope.
            #expect(seen.createdAt == nil)
            #expect(seen.startedAt == nil)

            let untagged = try await world.ecs.describeTasks(cluster: Self.cluster, tasks: [task.taskArn], includeTags: false)
            #expect(untagged.tasks.first?.tags.isEmpty == true)
        }
    }

    @Test("A repeated client token: what moto does")
    func clientToken() async throws {
        try await Self.withWorld { world in
            // A family without a fixed host port, so placement cannot be what stops a second task.
            _ = try await world.ecs.registerTaskDefinition(
                ECSTaskDefinition(family: "portless", containerDefinitions: [ECSContainerDefinition(name: "sleeper", image: "busybox", memory: 64)])
            )
            let request = ECSRunTaskRequest(cluster: Self.cluster, taskDefinition: "portless", startedBy: "gamefleet/token", clientToken: "same-token-twice")
            let first = try await world.ecs.runTask(request)
            let second = try await world.ecs.runTask(request)

            // Real ECS answers the second call with the first call's task. moto does not honour
            // clientToken at all: it starts a second task. Pinned here so that a moto that starts
            // honouring it shows up as a failing test rather than going unnoticed.
            #expect(first.tasks.count == 1)
            #expect(second.tasks.count == 1)
            #expect(first.tasks.first?.taskArn != second.tasks.first?.taskArn)
            #expect(try await world.ecs.listTasks(ECSListTasksRequest(cluster: Self.cluster, startedBy: "gamefleet/token")).count == 2)
        }
    }

    @Test("A task that does not fit: moto returns no task and no failure")
    func noRoom() async throws {
        try await Self.withWorld { world in
            let first = try await world.ecs.runTask(ECSRunTaskRequest(cluster: Self.cluster, taskDefinition: "gameserver"))
            let second = try await world.ecs.runTask(ECSRunTaskRequest(cluster: Self.cluster, taskDefinition: "gameserver"))
            #expect(first.tasks.count == 1)
            // Host port 8888 is taken on the only instance. ECS would list a RESOURCE:PORTS
            // failure here; moto reports nothing at all.
            #expect(second.tasks.isEmpty)
            #expect(second.failures.isEmpty)
        }
    }

    @Test("TagResource and UntagResource on a task")
    func tagging() async throws {
        try await Self.withWorld { world in
            let task = try #require(
                try await world.ecs.runTask(ECSRunTaskRequest(cluster: Self.cluster, taskDefinition: "gameserver", tags: [ECSTag(key: "gamefleet:state", value: "active")])).tasks.first
            )
            try await world.ecs.tagResource(task.taskArn, tags: [ECSTag(key: "gamefleet:state", value: "draining"), ECSTag(key: "gamefleet:players", value: "3")])
            var seen = try #require(try await world.ecs.describeTasks(cluster: Self.cluster, tasks: [task.taskArn]).tasks.first)
            #expect(seen.tag("gamefleet:state") == "draining")
            #expect(seen.tag("gamefleet:players") == "3")

            try await world.ecs.untagResource(task.taskArn, tagKeys: ["gamefleet:players", "never-set"])
            seen = try #require(try await world.ecs.describeTasks(cluster: Self.cluster, tasks: [task.taskArn]).tasks.first)
            #expect(seen.tags == [ECSTag(key: "gamefleet:state", value: "draining")])
        }
    }

    @Test("StopTask stops the task and it leaves the RUNNING list")
    func stop() async throws {
        try await Self.withWorld { world in
            let task = try #require(try await world.ecs.runTask(ECSRunTaskRequest(cluster: Self.cluster, taskDefinition: "gameserver", startedBy: "gamefleet/stop")).tasks.first)
            let stopped = try await world.ecs.stopTask(cluster: Self.cluster, task: task.taskArn, reason: "gamefleet: scale in")

            #expect(stopped.taskArn == task.taskArn)
            #expect(stopped.desiredStatus == "STOPPED")
            #expect(stopped.stoppedReason == "gamefleet: scale in")
            #expect(try await world.ecs.listTasks(ECSListTasksRequest(cluster: Self.cluster, startedBy: "gamefleet/stop", desiredStatus: "RUNNING")).isEmpty)
            #expect(try await world.ecs.listTasks(ECSListTasksRequest(cluster: Self.cluster, startedBy: "gamefleet/stop", desiredStatus: "STOPPED")) == [task.taskArn])
            let seen = try #require(try await world.ecs.describeTasks(cluster: Self.cluster, tasks: [task.taskArn]).tasks.first)
            #expect(seen.lastStatus == "STOPPED")
        }
    }

    @Test("A task's address: container instance → EC2 instance → private IP 127.0.0.x; then TerminateInstances")
    func addressAndTerminate() async throws {
        try await Self.withWorld { world in
            let task = try #require(try await world.ecs.runTask(ECSRunTaskRequest(cluster: Self.cluster, taskDefinition: "gameserver")).tasks.first)
            let containerInstanceArn = try #require(task.containerInstanceArn)

            let containerInstances = try await world.ecs.describeContainerInstances(cluster: Self.cluster, containerInstances: [containerInstanceArn])
            #expect(containerInstances.failures.isEmpty)
            let instanceID = try #require(containerInstances.containerInstances.first?.ec2InstanceId)
            #expect(instanceID == world.instance.instanceID)

            let instances = try await world.ec2.describeInstances(ids: [instanceID])
            let instance = try #require(instances.first)
            #expect(instances.count == 1)
            #expect(instance.state == "running")
            #expect(instance.privateIPAddress == world.instance.privateIPAddress)
            #expect(instance.privateIPAddress?.hasPrefix("127.0.0.") == true)
            #expect(instance.launchTime != nil)
            #expect(instance.instanceType == "t3.micro")

            let changes = try await world.ec2.terminateInstances(ids: [instanceID])
            #expect(changes == [EC2InstanceStateChange(instanceID: instanceID, previousState: "running", currentState: "shutting-down")])
            #expect(try await world.ec2.describeInstances(ids: [instanceID]).first?.state == "terminated")
        }
    }

    @Test("RunInstances with TagSpecification; the tags come back from DescribeInstances")
    func instanceTags() async throws {
        try await Self.withWorld { world in
            let launched = try await world.ec2.runInstances(
                EC2RunInstancesRequest(
                    imageID: "ami-12c6146b",
                    instanceType: "t3.micro",
                    subnetID: nil,
                    minCount: 2,
                    maxCount: 2,
                    tagSpecifications: [.init(resourceType: "instance", tags: [EC2Tag(key: "gamefleet:fleet", value: "it host/1")])]
                )
            )
            #expect(launched.count == 2)
            let described = try await world.ec2.describeInstances(ids: launched.map(\.instanceID))
            #expect(Set(described.map(\.instanceID)) == Set(launched.map(\.instanceID)))
            #expect(described.allSatisfy { $0.tag("gamefleet:fleet") == "it host/1" })
        }
    }

    @Test("AWS errors from moto: ECS JSON and EC2 XML, decoded with code and request id")
    func awsErrors() async throws {
        try await Self.withWorld { world in
            let ecsError = try await #require(throws: AWSServiceError.self) {
                try await world.ecs.describeTasks(cluster: "no-such-cluster", tasks: ["t"])
            }
            #expect(ecsError.code == "ClusterNotFoundException")
            #expect(ecsError.statusCode == 400)
            #expect(ecsError.operation == "DescribeTasks")
            #expect(ecsError.message == "Cluster not found.")
            #expect(ecsError.requestID?.isEmpty == false)
            #expect(ecsError.attempts == 1, "a 4xx is not retried")

            let ec2Error = try await #require(throws: AWSServiceError.self) {
                try await world.ec2.describeInstances(ids: ["i-00000000000000000"])
            }
            #expect(ec2Error.code == "InvalidInstanceID.NotFound")
            #expect(ec2Error.statusCode == 400)
            #expect(ec2Error.message.contains("i-00000000000000000"))
            #expect(ec2Error.requestID?.isEmpty == false)
        }
    }

    @Test("moto's crashes are HTML 500s: reported as non-AWS errors with an excerpt, after retries")
    func htmlFiveHundred() async throws {
        try await Self.withWorld { world in
            _ = try await world.ecs.createCluster("empty")
            let clock = TestClock()
            let (ecs, _) = try Self.clients(world.motoURL, transport: world.transport, retryPolicy: RetryPolicy(maxAttempts: 2), clock: clock)

            // ECS would answer with a failure in failures[]; moto raises "No instances found".
            let error = try await #require(throws: AWSCallError.self) {
                try await ecs.runTask(ECSRunTaskRequest(cluster: "empty", taskDefinition: "gameserver"))
            }
            #expect(error.operation == "RunTask")
            #expect(error.attempts == 2)
            #expect(clock.sleeps.count == 1)
            guard case .notAnAWSError(let status, let contentType, let excerpt) = error.reason else {
                Issue.record("expected a non-AWS error, got \(error.reason)")
                return
            }
            #expect(status == 500)
            #expect(contentType?.hasPrefix("text/html") == true)
            #expect(excerpt.hasPrefix("500 Internal Server Error"))
            #expect(error.description.contains("HTTP 500 with a body that is not an AWS error"))
        }
    }

    @Test("Unfrozen, moto moves a task one state towards STOPPED per DescribeTasks")
    func unfrozenTasksDrift() async throws {
        try await Self.withWorld { world in
            try await Self.moto(
                "/moto-api/state-manager/set-transition",
                #"{"model_name":"ecs::task","transition":{"progression":"manual","times":1}}"#,
                url: world.motoURL,
                transport: world.transport
            )
            let task = try #require(try await world.ecs.runTask(ECSRunTaskRequest(cluster: Self.cluster, taskDefinition: "gameserver")).tasks.first)
            var statuses: [String] = []
            for _ in 0..<5 {
                statuses.append(try await world.ecs.describeTasks(cluster: Self.cluster, tasks: [task.taskArn]).tasks.first?.lastStatus ?? "?")
            }
            #expect(statuses == ["DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED", "STOPPED"])
        }
    }
}

/// The DynamoDB client against moto (which checks that every request is SigV4-signed and routes
/// it by the credential scope's service name): the conditional writes a lease is made of.
@Suite("moto integration: DynamoDB", .serialized)
struct DynamoDBMotoTests {
    @Test("Table check, then create / conditional put / conditional update / conditional delete of one item")
    func conditionalWrites() async throws {
        let url = try await MotoServer.shared.url()
        try await AsyncHTTPClientTransport.with { transport in
            try await MotoIntegrationTests.moto("/moto-api/reset", url: url, transport: transport)
            let configuration = AWSClientConfiguration(
                region: MotoIntegrationTests.region,
                credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDMOTO", secretAccessKey: "moto-accepts-any-secret")),
                transport: transport, timeout: .seconds(30))
            let db = try DynamoDBClient(configuration: configuration, endpoint: url)

            #expect(try await db.describeTable("gamefleet-leases") == nil)
            try await db.createTable("gamefleet-leases", hashKey: "fleet")
            let table = try #require(try await db.describeTable("gamefleet-leases"))
            #expect(table.hashKey?.name == "fleet")
            #expect(table.hashKey?.type == "S")

            let key: DynamoDBClient.Item = ["fleet": .string("arena")]
            #expect(try await db.getItem(table: "gamefleet-leases", key: key) == nil)
            let absent = DynamoDBCondition("attribute_not_exists(#k)", names: ["#k": "fleet"])
            try await db.putItem(table: "gamefleet-leases", item: key.merging(["version": .string("v1"), "ms": .integer(15000)]) { a, _ in a }, condition: absent)
            await #expect(throws: DynamoDBConditionFailed.self) {
                try await db.putItem(table: "gamefleet-leases", item: key.merging(["version": .string("x")]) { a, _ in a }, condition: absent)
            }
            let item = try #require(try await db.getItem(table: "gamefleet-leases", key: key))
            #expect(item["version"] == .string("v1"))
            #expect(item["ms"]?.integerValue == 15000)

            let updated = try await db.updateItem(
                table: "gamefleet-leases", key: key, update: "SET #v = :new", names: ["#v": "version"],
                values: [":new": .string("v2"), ":old": .string("v1")], condition: "#v = :old")
            #expect(updated["version"] == .string("v2"))
            await #expect(throws: DynamoDBConditionFailed.self) {
                _ = try await db.updateItem(
                    table: "gamefleet-leases", key: key, update: "SET #v = :new", names: ["#v": "version"],
                    values: [":new": .string("v3"), ":old": .string("v1")], condition: "#v = :old")
            }

            let stale = DynamoDBCondition("#v = :v", names: ["#v": "version"], values: [":v": .string("v1")])
            await #expect(throws: DynamoDBConditionFailed.self) { try await db.deleteItem(table: "gamefleet-leases", key: key, condition: stale) }
            try await db.deleteItem(table: "gamefleet-leases", key: key, condition: DynamoDBCondition("#v = :v", names: ["#v": "version"], values: [":v": .string("v2")]))
            #expect(try await db.getItem(table: "gamefleet-leases", key: key) == nil)
            try await db.deleteTable("gamefleet-leases")
        }
    }
}
