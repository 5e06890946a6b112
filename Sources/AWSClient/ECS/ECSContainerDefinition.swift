/// One container of a task definition: the parts gamefleet writes (for tests and setup) and
/// reads (its port mappings, to know where a gameserver listens).
public struct ECSContainerDefinition: Codable, Sendable, Hashable {
    /// The container name.
    public var name: String
    /// The image, e.g. `ghcr.io/example/gameserver:1.4`.
    public var image: String?
    /// CPU units reserved for it (1024 = one vCPU).
    public var cpu: Int?
    /// The hard memory limit in MiB.
    public var memory: Int?
    /// The soft memory reservation in MiB.
    public var memoryReservation: Int?
    /// Whether the task stops when this container stops.
    public var essential: Bool?
    /// Ports published by the container.
    public var portMappings: [PortMapping]?
    /// The command, overriding the image's.
    public var command: [String]?
    /// Environment variables.
    public var environment: [ECSKeyValuePair]?

    /// A container port and, in bridge or host mode, the host port that reaches it.
    public struct PortMapping: Codable, Sendable, Hashable {
        /// The port inside the container.
        public var containerPort: Int
        /// The host port; `0` or `nil` in bridge mode means a dynamic one, and in awsvpc and
        /// host mode it equals the container port.
        public var hostPort: Int?
        /// `tcp` (the default) or `udp`.
        public var `protocol`: String?

        /// Creates a port mapping.
        public init(containerPort: Int, hostPort: Int? = nil, protocol: String? = nil) {
            self.containerPort = containerPort
            self.hostPort = hostPort
            self.protocol = `protocol`
        }
    }

    /// Creates a container definition.
    public init(
        name: String,
        image: String? = nil,
        cpu: Int? = nil,
        memory: Int? = nil,
        memoryReservation: Int? = nil,
        essential: Bool? = nil,
        portMappings: [PortMapping]? = nil,
        command: [String]? = nil,
        environment: [ECSKeyValuePair]? = nil
    ) {
        self.name = name
        self.image = image
        self.cpu = cpu
        self.memory = memory
        self.memoryReservation = memoryReservation
        self.essential = essential
        self.portMappings = portMappings
        self.command = command
        self.environment = environment
    }
}
