import AWSClient
import FleetCore
import FleetECS
import Foundation
import Glibc
import NIOCore
import NIOPosix
import TestSupport

/// A fresh moto for one test: reset, ECS tasks frozen in their state, a cluster, a task
/// definition and EC2 instances in a `127.0.0.0/24` subnet registered as container instances.
/// The instances' `127.0.0.x` addresses are loopback here, so gameservers can really listen there.
struct MotoWorld {
    static let cluster = "fleetecs-it"
    static let region = "us-east-1"

    let url: String
    let transport: AsyncHTTPClientTransport
    let ecs: ECSClient
    let ec2: EC2Client
    let hostPort: Int
    let definition: ECSTaskDefinition
    /// The 127.0.0.0/24 subnet.
    let subnet: String
    /// Container instance ARN → the instance's 127.0.0.x address.
    let hostIPs: [String: String]

    /// Runs `body` in a new world with `instances` registered hosts and a task definition of
    /// `family` in `networkMode`, its game port published on `hostPort` (a free port by default).
    static func with<T>(
        instances: Int, family: String = "gameserver", networkMode: String = "bridge", memory: Int = 128,
        staticHostPort: Bool = true, _ body: (MotoWorld) async throws -> T
    ) async throws -> T {
        let url = try await Moto.shared.url()
        await Moto.shared.acquire()
        let transport = AsyncHTTPClientTransport()
        do {
            let result = try await body(try await build(url: url, transport: transport, instances: instances, family: family, networkMode: networkMode, memory: memory, staticHostPort: staticHostPort))
            try? await transport.shutdown()
            await Moto.shared.release()
            return result
        } catch {
            try? await transport.shutdown()
            await Moto.shared.release()
            throw error
        }
    }

    private static func build(url: String, transport: AsyncHTTPClientTransport, instances: Int, family: String, networkMode: String, memory: Int, staticHostPort: Bool) async throws -> MotoWorld {
        try await Moto.control("/moto-api/reset", url: url, transport: transport)
        try await Moto.control(
            "/moto-api/state-manager/set-transition", #"{"model_name":"ecs::task","transition":{"progression":"manual","times":1000000}}"#,
            url: url, transport: transport)
        let (ecs, ec2) = try Moto.clients(url: url, transport: transport)
        _ = try await ecs.createCluster(cluster)
        let port = try LoopbackPorts.free()
        let definition = try await ecs.registerTaskDefinition(ECSTaskDefinition(
            family: family,
            containerDefinitions: [ECSContainerDefinition(
                name: "gameserver", image: "gamefleet/sample-gameserver:test", memory: memory, essential: true,
                portMappings: [.init(containerPort: port, hostPort: staticHostPort ? port : nil)])],
            networkMode: networkMode))
        let vpc = try await ec2.createVpc(cidrBlock: "127.0.0.0/16")
        let subnet = try await ec2.createSubnet(vpcID: vpc, cidrBlock: "127.0.0.0/24")
        var hostIPs: [String: String] = [:]
        if instances > 0 {
            let launched = try await ec2.runInstances(EC2RunInstancesRequest(imageID: "ami-12c6146b", instanceType: "t3.micro", subnetID: subnet, minCount: instances, maxCount: instances))
            for instance in launched {
                guard let ip = instance.privateIPAddress, ip.hasPrefix("127.0.0.") else {
                    throw Moto.Unavailable(description: "moto gave \(instance.instanceID) the address \(instance.privateIPAddress ?? "none"), not one in 127.0.0.0/24")
                }
                let registered = try await register(instance.instanceID, ecs: ecs)
                hostIPs[registered] = ip
            }
        }
        return MotoWorld(url: url, transport: transport, ecs: ecs, ec2: ec2, hostPort: port, definition: definition, subnet: subnet, hostIPs: hostIPs)
    }

    /// RegisterContainerInstance for `instance`, as its ECS agent would at boot; returns its ARN.
    static func register(_ instance: String, ecs: ECSClient) async throws -> String {
        let document = #"{"instanceId":"\#(instance)","region":"\#(region)","availabilityZone":"us-east-1a","instanceType":"t3.micro","imageId":"ami-12c6146b"}"#
        let registered = try await ecs.registerContainerInstance(cluster: cluster, instanceIdentityDocument: document)
        guard let arn = registered.containerInstanceArn else { throw Moto.Unavailable(description: "moto registered \(instance) without an ARN") }
        return arn
    }

    /// CreateLaunchTemplate `name` for t3.micro hosts.
    func createLaunchTemplate(_ name: String) async throws {
        try await Self.createLaunchTemplate(name, url: url, transport: transport)
    }

    /// CreateLaunchTemplate `name` for t3.micro hosts on the moto at `url`. EC2Client has no
    /// such call (gamefleet never creates templates), so the form goes out as it is, under an
    /// Authorization header that only names the service: moto routes on it and checks no signature
    /// (on a moto that checks signatures, `sign` signs it instead).
    static func createLaunchTemplate(_ name: String, url: String, transport: AsyncHTTPClientTransport,
                                     sign: (([HTTPHeaderField], [UInt8]) -> [HTTPHeaderField])? = nil) async throws {
        let form = [
            "Action=CreateLaunchTemplate", "Version=2016-11-15", "LaunchTemplateName=\(name)",
            "LaunchTemplateData.ImageId=ami-12c6146b", "LaunchTemplateData.InstanceType=t3.micro",
        ].joined(separator: "&")
        let contentType = HTTPHeaderField(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")
        let headers = sign?([contentType], Array(form.utf8)) ?? [
            contentType,
            HTTPHeaderField(name: "Authorization", value: "AWS4-HMAC-SHA256 Credential=AKIDFLEETECS/20260101/\(Self.region)/ec2/aws4_request, SignedHeaders=host, Signature=0"),
        ]
        let answer = try await transport.send(TransportRequest(method: "POST", url: url + "/", headers: headers, body: Array(form.utf8)), timeout: .seconds(30))
        guard answer.isSuccess else { throw Moto.Unavailable(description: "CreateLaunchTemplate answered \(answer.status): \(answer.bodyText.prefix(300))") }
    }


    /// The fleet spec the integration tests run: bridge tasks, private (127.0.0.x) addresses.
    func spec(name: String = "it", endpoint: String? = nil, capacity: Int = 4, upscaleMargin: Int = 3, downscaleMargin: Int = 8,
              minServers: Int = 2, maxServers: Int = 10, taskDefinition: String? = nil, launchTemplate: String? = nil) -> FleetSpec {
        FleetSpec(
            name: name, provider: .ecs,
            gameserver: GameserverSpec(capacity: capacity, health: HealthSpec(interval: .seconds(1), timeout: .seconds(1), failureThreshold: 3, startupGrace: .seconds(600))),
            scaling: ScalingSpec(upscaleMargin: upscaleMargin, downscaleMargin: downscaleMargin, minServers: minServers, maxServers: maxServers, maxLaunchesPerPass: 10),
            allocation: AllocationSpec(),
            ecs: ECSSpec(
                region: Self.region, cluster: Self.cluster, taskDefinition: taskDefinition ?? definition.family, gamePort: hostPort,
                launchType: .ec2, launchTemplate: launchTemplate, endpoint: endpoint ?? url, addressType: .private))
    }

    /// A provider over the real clients, built the way gamefleet builds it.
    func provider(_ spec: FleetSpec, settings: ECSProvider.Settings = .init()) throws -> ECSProvider {
        try ECSProvider.live(spec: spec.ecs!, environment: Moto.environment, settings: settings)
    }

    /// The fleet's tasks that moto runs (desired RUNNING, not stopped), read straight from moto.
    func liveTasks(fleet: String = "it") async throws -> [ECSTask] {
        let arns = try await ecs.listTasks(ECSListTasksRequest(cluster: Self.cluster, startedBy: FleetLabels.startedBy(fleet: fleet)))
        guard !arns.isEmpty else { return [] }
        return try await ecs.describeTasks(cluster: Self.cluster, tasks: arns).tasks.filter { $0.desiredStatus == "RUNNING" && $0.lastStatus != "STOPPED" }
    }
}

extension MotoWorld {
    /// Runs `body` with a live provider and shuts its HTTP client down afterwards, also when
    /// `body` throws (an HTTP client must be shut down before it goes away).
    func withProvider<T>(_ spec: FleetSpec, settings: ECSProvider.Settings = .init(), _ body: (ECSProvider) async throws -> T) async throws -> T {
        let provider = try provider(spec, settings: settings)
        return try await cleaningUp({ try await body(provider) }, then: { await provider.shutdown() })
    }
}

/// Runs `body`, then `cleanup` whether `body` returned or threw.
func cleaningUp<T>(_ body: () async throws -> T, then cleanup: () async -> Void) async throws -> T {
    do {
        let result = try await body()
        await cleanup()
        return result
    } catch {
        await cleanup()
        throw error
    }
}
