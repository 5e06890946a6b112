import AWSClient
import FleetCore
import FleetECS
import Foundation
import Testing

/// Which address a task gets, through the whole provider over fake ECS and EC2: the rules of
/// TaskAddress and the lookups behind them.
@Suite("Address selection")
struct TaskAddressTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var addressType: AddressType
        var definition: ECSTaskDefinition
        var task: ECSTask
        var expected: HostPort?
        /// Lookups expected beyond ListTasks and DescribeTasks.
        var lookups: [String: Int]
        var testDescription: String { name }
    }

    static let awsvpc = ECSTaskDefinition(
        family: "gameserver", containerDefinitions: [ECSContainerDefinition(name: "game", portMappings: [.init(containerPort: Fixtures.gamePort)])],
        networkMode: "awsvpc")
    static let bound = [ECSContainer(name: "game", networkBindings: [.init(bindIP: "0.0.0.0", containerPort: Fixtures.gamePort, hostPort: 32768)])]

    static let cases: [Case] = [
        Case(
            name: "awsvpc, private: the attachment's IP, no lookup at all", addressType: .private, definition: awsvpc,
            task: Fixtures.task(1, containerInstance: nil, attachments: [Fixtures.eni("eni-1", privateIP: "10.2.0.7")], launchType: "FARGATE"),
            expected: HostPort(host: "10.2.0.7", port: Fixtures.gamePort), lookups: [:]),
        Case(
            name: "awsvpc, public: the ENI's public IP from DescribeNetworkInterfaces", addressType: .public, definition: awsvpc,
            task: Fixtures.task(1, containerInstance: nil, attachments: [Fixtures.eni("eni-1", privateIP: "10.2.0.7")], launchType: "FARGATE"),
            expected: HostPort(host: "203.0.113.70", port: Fixtures.gamePort), lookups: ["DescribeNetworkInterfaces": 1]),
        Case(
            name: "awsvpc, no ENI yet: no address", addressType: .private, definition: awsvpc,
            task: Fixtures.task(1, lastStatus: "PROVISIONING", containerInstance: nil, launchType: "FARGATE"),
            expected: nil, lookups: [:]),
        Case(
            name: "bridge with a reported binding: the host's IP and the bound port, no task definition needed", addressType: .private,
            definition: Fixtures.bridgeDefinition(hostPort: 0), task: Fixtures.task(1, containers: bound),
            expected: HostPort(host: "10.0.0.5", port: 32768), lookups: ["DescribeContainerInstances": 1, "DescribeInstances": 1]),
        Case(
            name: "bridge without a binding: the task definition's static host port", addressType: .public,
            definition: Fixtures.bridgeDefinition(hostPort: 7001), task: Fixtures.task(1),
            expected: HostPort(host: "198.51.100.5", port: 7001),
            lookups: ["DescribeTaskDefinition": 1, "DescribeContainerInstances": 1, "DescribeInstances": 1]),
        Case(
            name: "bridge, dynamic port not reported yet: no address", addressType: .private,
            definition: Fixtures.bridgeDefinition(hostPort: 0), task: Fixtures.task(1, lastStatus: "PENDING"),
            expected: nil, lookups: ["DescribeTaskDefinition": 1]),
        Case(
            name: "host mode: the host's IP and the game port itself", addressType: .private,
            definition: Fixtures.bridgeDefinition(hostPort: nil, mode: "host"), task: Fixtures.task(1),
            expected: HostPort(host: "10.0.0.5", port: Fixtures.gamePort),
            lookups: ["DescribeTaskDefinition": 1, "DescribeContainerInstances": 1, "DescribeInstances": 1]),
    ]

    @Test(arguments: cases)
    func address(_ c: Case) async throws {
        let world = Fixtures.World()
        var task = c.task
        task.taskDefinitionArn = world.ecs.register(c.definition)
        world.ecs.add(task)
        Fixtures.host(world)
        world.ec2.add(EC2NetworkInterface(networkInterfaceID: "eni-1", privateIPAddress: "10.2.0.7", publicIPAddress: "203.0.113.70"))
        let provider = world.provider()
        let spec = Fixtures.spec(taskDefinition: "gameserver:1", addressType: c.addressType)

        let servers = try await provider.servers(spec: spec)
        #expect(servers.count == 1)
        #expect(servers.first?.address == c.expected)
        var calls = provider.calls.counts.calls
        calls["ListTasks"] = nil
        calls["DescribeTasks"] = nil
        #expect(calls == c.lookups)

        // Known addresses are kept: the next pass looks nothing up for this task.
        provider.calls.reset()
        _ = try await provider.servers(spec: spec)
        if c.expected != nil {
            #expect(provider.calls.counts.calls == ["ListTasks": 1, "DescribeTasks": 1])
        }
    }

    @Test("The pure rule: what each network mode needs")
    func locate() {
        let bridge = Fixtures.bridgeDefinition(hostPort: 7001)
        #expect(TaskAddress.locate(task: Fixtures.task(1), definition: nil, gamePort: Fixtures.gamePort, addressType: .private) == .needsTaskDefinition)
        #expect(TaskAddress.locate(task: Fixtures.task(1), definition: bridge, gamePort: Fixtures.gamePort, addressType: .private)
            == .host(containerInstanceArn: Fixtures.instanceArn, port: 7001))
        #expect(TaskAddress.locate(task: Fixtures.task(1, containerInstance: nil), definition: bridge, gamePort: Fixtures.gamePort, addressType: .private)
            == .unknown("not placed on an instance yet"))
        #expect(TaskAddress.locate(task: Fixtures.task(1), definition: bridge, gamePort: 9999, addressType: .private)
            == .unknown("the task definition maps no port 9999"))
    }
}

/// A lookup that fails (throttled) leaves the task's address unknown for this pass and says why,
/// so the planner keeps it instead of judging it silent; the next pass looks it up again.
@Suite("Address lookups that fail")
struct AddressLookupFailureTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let failing: String
        let addressType: AddressType
        let definition: ECSTaskDefinition
        let task: ECSTask
        var testDescription: String { "\(failing) throttled" }
    }

    static let hostMode = Fixtures.bridgeDefinition(hostPort: nil, mode: "host")
    static let cases: [Case] = [
        Case(failing: "DescribeNetworkInterfaces", addressType: .public, definition: TaskAddressTests.awsvpc,
             task: Fixtures.task(1, containerInstance: nil, attachments: [Fixtures.eni("eni-1", privateIP: "10.2.0.7")], launchType: "FARGATE")),
        Case(failing: "DescribeTaskDefinition", addressType: .private, definition: hostMode, task: Fixtures.task(1)),
        Case(failing: "DescribeContainerInstances", addressType: .private, definition: hostMode, task: Fixtures.task(1)),
        Case(failing: "DescribeInstances", addressType: .private, definition: hostMode, task: Fixtures.task(1)),
    ]

    @Test(arguments: cases)
    func unknownThenRetried(_ c: Case) async throws {
        let world = Fixtures.World()
        var task = c.task
        task.taskDefinitionArn = world.ecs.register(c.definition)
        task.createdAt = world.date.now.addingTimeInterval(-7200)
        world.ecs.add(task)
        Fixtures.host(world)
        world.ec2.add(EC2NetworkInterface(networkInterfaceID: "eni-1", privateIPAddress: "10.2.0.7", publicIPAddress: "203.0.113.70"))
        let throttled = AWSServiceError(service: "ec2", operation: c.failing, statusCode: 400, code: "ThrottlingException", message: "Rate exceeded")
        if c.failing.hasPrefix("DescribeTask") || c.failing.hasPrefix("DescribeContainer") {
            world.ecs.failNext(c.failing, with: throttled)
        } else {
            world.ec2.failNext(c.failing, with: throttled)
        }
        let provider = world.provider()
        let spec = Fixtures.spec(taskDefinition: "gameserver:1", addressType: c.addressType)

        let first = try await provider.servers(spec: spec)
        #expect(first.count == 1)
        #expect(first.first?.address == nil)
        #expect(first.first?.addressLookupError?.contains(c.failing) == true, "\(first.first?.addressLookupError ?? "nil")")
        // Two hours old and never answered, but unknown rather than silent: kept.
        let plan = Planner.plan(spec: spec, observed: ObservedState(servers: first), now: world.date.now)
        #expect(plan.count(.stop) == 0, "\(plan.actions.map(\.reason))")
        #expect(plan.summary.unknown == 1)

        let second = try await provider.servers(spec: spec)
        #expect(second.first?.address != nil, "looked up again on the next pass")
        #expect(second.first?.addressLookupError == nil)
    }
}
