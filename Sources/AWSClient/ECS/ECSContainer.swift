/// A container of a running task: its state and how it can be reached.
public struct ECSContainer: Codable, Sendable, Hashable {
    /// The container's ARN.
    public var containerArn: String?
    /// Its name in the task definition.
    public var name: String?
    /// Its last known state, e.g. `RUNNING`.
    public var lastStatus: String?
    /// The exit code once stopped.
    public var exitCode: Int?
    /// Host ports bound for it (bridge and host network modes).
    public var networkBindings: [NetworkBinding]
    /// Its network interfaces (awsvpc network mode).
    public var networkInterfaces: [NetworkInterface]

    /// A container port published on the host.
    public struct NetworkBinding: Codable, Sendable, Hashable {
        /// The address bound on the host, e.g. `0.0.0.0`.
        public var bindIP: String?
        /// The port inside the container.
        public var containerPort: Int?
        /// The port on the host that reaches it.
        public var hostPort: Int?
        /// `tcp` or `udp`.
        public var `protocol`: String?

        /// Creates a binding record.
        public init(bindIP: String? = nil, containerPort: Int? = nil, hostPort: Int? = nil, protocol: String? = nil) {
            self.bindIP = bindIP
            self.containerPort = containerPort
            self.hostPort = hostPort
            self.protocol = `protocol`
        }
    }

    /// A network interface of an awsvpc container.
    public struct NetworkInterface: Codable, Sendable, Hashable {
        /// The id of the attachment it belongs to.
        public var attachmentId: String?
        /// Its private IPv4 address.
        public var privateIpv4Address: String?
        /// Its IPv6 address.
        public var ipv6Address: String?

        /// Creates an interface record.
        public init(attachmentId: String? = nil, privateIpv4Address: String? = nil, ipv6Address: String? = nil) {
            self.attachmentId = attachmentId
            self.privateIpv4Address = privateIpv4Address
            self.ipv6Address = ipv6Address
        }
    }

    /// Creates a container record.
    public init(
        containerArn: String? = nil,
        name: String? = nil,
        lastStatus: String? = nil,
        exitCode: Int? = nil,
        networkBindings: [NetworkBinding] = [],
        networkInterfaces: [NetworkInterface] = []
    ) {
        self.containerArn = containerArn
        self.name = name
        self.lastStatus = lastStatus
        self.exitCode = exitCode
        self.networkBindings = networkBindings
        self.networkInterfaces = networkInterfaces
    }

    enum CodingKeys: String, CodingKey { case containerArn, name, lastStatus, exitCode, networkBindings, networkInterfaces }

    /// Reads a container; absent lists read as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        containerArn = try container.decodeIfPresent(String.self, forKey: .containerArn)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        lastStatus = try container.decodeIfPresent(String.self, forKey: .lastStatus)
        exitCode = try container.decodeIfPresent(Int.self, forKey: .exitCode)
        networkBindings = try container.list(.networkBindings)
        networkInterfaces = try container.list(.networkInterfaces)
    }
}
