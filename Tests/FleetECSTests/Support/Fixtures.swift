import AWSClient
import FleetCore
import FleetECS
import Foundation
import Synchronization

/// A wall clock the test moves by hand.
final class TestDate: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_780_000_000)) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func advance(seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var closure: @Sendable () -> Date { { [self] in now } }
}

enum Fixtures {
    static let gamePort = 7777
    static let instanceArn = "arn:aws:ecs:us-east-1:123456789012:container-instance/test/ci-1"

    /// A fleet spec on ECS with the given settings and easy margins.
    static func spec(
        name: String = "unit", taskDefinition: String = "gameserver", launchType: ECSLaunchType = .ec2,
        addressType: AddressType = .private, launchTemplate: String? = nil, subnets: [String] = [],
        capacity: Int = 10, upscaleMargin: Int = 5, downscaleMargin: Int = 30, minServers: Int = 1,
        maxServers: Int = 50, maxLaunchesPerPass: Int = 10
    ) -> FleetSpec {
        FleetSpec(
            name: name, provider: .ecs, gameserver: GameserverSpec(capacity: capacity),
            scaling: ScalingSpec(
                upscaleMargin: upscaleMargin, downscaleMargin: downscaleMargin, minServers: minServers,
                maxServers: maxServers, maxLaunchesPerPass: maxLaunchesPerPass),
            allocation: AllocationSpec(),
            ecs: ECSSpec(
                region: "us-east-1", cluster: "test", taskDefinition: taskDefinition, gamePort: gamePort,
                launchType: launchType, launchTemplate: launchTemplate, addressType: addressType, subnets: subnets))
    }

    /// A bridge-mode definition publishing the game port on a fixed host port (or a dynamic one).
    static func bridgeDefinition(family: String = "gameserver", hostPort: Int? = 7777, mode: String = "bridge") -> ECSTaskDefinition {
        ECSTaskDefinition(
            family: family,
            containerDefinitions: [ECSContainerDefinition(name: "game", image: "game:1", memory: 128, portMappings: [.init(containerPort: gamePort, hostPort: hostPort)])],
            networkMode: mode)
    }

    /// The fakes and a provider over them, with a test clock.
    struct World {
        var ecs = InMemoryECS()
        var ec2 = InMemoryEC2()
        var date = TestDate()

        func provider(settings: ECSProvider.Settings = .init()) -> ECSProvider {
            ECSProvider(ecs: ecs, ec2: ec2, settings: settings, now: date.closure)
        }
    }

    /// A task of fleet `fleet` as DescribeTasks reports it.
    static func task(
        _ number: Int, fleet: String = "unit", lastStatus: String = "RUNNING", desiredStatus: String = "RUNNING",
        definition: String = "arn:aws:ecs:us-east-1:123456789012:task-definition/gameserver:1",
        containerInstance: String? = instanceArn, tags: [ECSTag] = [], createdAt: Date? = nil,
        containers: [ECSContainer] = [], attachments: [ECSAttachment] = [], launchType: String? = "EC2"
    ) -> ECSTask {
        ECSTask(
            taskArn: "arn:aws:ecs:us-east-1:123456789012:task/test/seed\(number)", taskDefinitionArn: definition,
            lastStatus: lastStatus, desiredStatus: desiredStatus, startedBy: FleetLabels.startedBy(fleet: fleet),
            launchType: launchType, createdAt: createdAt, containerInstanceArn: containerInstance,
            attachments: attachments, containers: containers, tags: tags)
    }

    /// An awsvpc attachment with an ENI and a private IP.
    static func eni(_ id: String, privateIP: String) -> ECSAttachment {
        ECSAttachment(id: "att-\(id)", type: "ElasticNetworkInterface", status: "ATTACHED", details: [
            ECSKeyValuePair(name: "networkInterfaceId", value: id), ECSKeyValuePair(name: "privateIPv4Address", value: privateIP),
        ])
    }

    /// Puts a registered container instance on EC2 instance `instance` with the given IPs.
    static func host(_ world: World, containerInstance: String = instanceArn, instance: String = "i-0000000000000001", privateIP: String = "10.0.0.5", publicIP: String? = "198.51.100.5") {
        world.ecs.update { $0.containerInstances[containerInstance] = ECSContainerInstance(containerInstanceArn: containerInstance, ec2InstanceId: instance, status: "ACTIVE") }
        world.ec2.add(EC2Instance(instanceID: instance, state: "running", privateIPAddress: privateIP, publicIPAddress: publicIP))
    }
}
