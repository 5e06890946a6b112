import AWSClient
import FleetCore

/// Where a task's game port can be reached, as far as ECS's own records tell, before any EC2
/// lookup. A pure function of the task, its task definition and the spec, so the rules are tested
/// as a table.
///
/// - `awsvpc` (Fargate, or EC2 tasks with their own network interface): the port is `gamePort`.
///   The private IP is in the task's attachment; the public one belongs to the network interface
///   and takes a DescribeNetworkInterfaces.
/// - `bridge` and `host`: the task shares its instance's IP, which takes DescribeContainerInstances
///   (container instance → EC2 instance id) and DescribeInstances. The port is the host port ECS
///   reports bound to `gamePort`, or, when ECS reports no binding (moto never does, and ECS not
///   before the container starts), the static `hostPort` of the task definition's mapping for
///   `gamePort`; in `host` mode the host port is the container port.
public enum TaskAddress {
    /// What it takes to know the address.
    public enum Source: Sendable, Equatable {
        /// Known from the task itself.
        case known(HostPort)
        /// The public IP of this network interface, with `port`.
        case networkInterface(id: String, port: Int)
        /// The IP (public or private, as the spec says) of the EC2 instance behind this container
        /// instance, with `port`.
        case host(containerInstanceArn: String, port: Int)
        /// The task definition is needed to tell (network mode or static host port).
        case needsTaskDefinition
        /// Not knowable yet, or never (the reason says which); the server has no address this pass.
        case unknown(String)
    }

    /// The network mode of `task`: its definition's, or, without one, `awsvpc` when the task has a
    /// network interface or runs on Fargate; nil when only the definition can tell.
    static func networkMode(of task: ECSTask, definition: ECSTaskDefinition?) -> String? {
        if let mode = definition?.networkMode, !mode.isEmpty { return mode.lowercased() }
        if task.networkInterfaceID != nil || task.attachments.contains(where: { $0.type == "ElasticNetworkInterface" })
            || task.launchType == "FARGATE"
        {
            return "awsvpc"
        }
        // A definition without a network mode means bridge on Linux EC2 instances.
        return definition == nil ? nil : "bridge"
    }

    /// Works out how to find `task`'s address. `definition` may be nil when it has not been looked
    /// up; the answer is then ``Source/needsTaskDefinition`` if it matters.
    public static func locate(task: ECSTask, definition: ECSTaskDefinition?, gamePort: Int, addressType: AddressType) -> Source {
        let boundPort = task.containers.lazy.flatMap(\.networkBindings)
            .first { $0.containerPort == gamePort && ($0.hostPort ?? 0) > 0 }?.hostPort
        guard let mode = networkMode(of: task, definition: definition) else {
            // A reported binding answers without the definition: bridge and host are alike here.
            if let boundPort, let instance = task.containerInstanceArn {
                return .host(containerInstanceArn: instance, port: boundPort)
            }
            return .needsTaskDefinition
        }
        switch mode {
        case "awsvpc":
            switch addressType {
            case .private:
                guard let ip = task.privateIPv4Address, !ip.isEmpty else { return .unknown("no network interface address yet") }
                return .known(HostPort(host: ip, port: gamePort))
            case .public:
                guard let eni = task.networkInterfaceID, !eni.isEmpty else { return .unknown("no network interface yet") }
                return .networkInterface(id: eni, port: gamePort)
            }
        case "bridge", "host":
            guard let instance = task.containerInstanceArn, !instance.isEmpty else { return .unknown("not placed on an instance yet") }
            if let boundPort { return .host(containerInstanceArn: instance, port: boundPort) }
            if mode == "host" { return .host(containerInstanceArn: instance, port: gamePort) }
            guard let definition else { return .needsTaskDefinition }
            let mapping = definition.containerDefinitions.lazy.flatMap { $0.portMappings ?? [] }.first { $0.containerPort == gamePort }
            guard let mapping else { return .unknown("the task definition maps no port \(gamePort)") }
            guard let hostPort = mapping.hostPort, hostPort > 0 else { return .unknown("dynamic host port for \(gamePort) not reported yet") }
            return .host(containerInstanceArn: instance, port: hostPort)
        default:
            return .unknown("network mode \(mode) has no reachable address")
        }
    }
}

/// The addresses of one EC2 instance.
public struct HostAddresses: Sendable, Equatable {
    /// The instance's private IPv4 address.
    public var privateIP: String?
    /// Its public IPv4 address, if it has one.
    public var publicIP: String?

    /// Creates a record.
    public init(privateIP: String?, publicIP: String?) {
        self.privateIP = privateIP
        self.publicIP = publicIP
    }

    /// The one `addressType` asks for, if the instance has it.
    public func ip(_ addressType: AddressType) -> String? {
        let ip = addressType == .public ? publicIP : privateIP
        return ip?.isEmpty == false ? ip : nil
    }
}
