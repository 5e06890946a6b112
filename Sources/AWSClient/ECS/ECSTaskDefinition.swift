/// A task definition: what DescribeTaskDefinition returns and, without the fields ECS fills in,
/// what RegisterTaskDefinition takes.
public struct ECSTaskDefinition: Codable, Sendable, Hashable {
    /// Its ARN, e.g. `arn:aws:ecs:us-east-1:123456789012:task-definition/gameserver:3`.
    /// Filled in by ECS; left out when registering.
    public var taskDefinitionArn: String?
    /// The family name, e.g. `gameserver`.
    public var family: String
    /// The revision within the family; filled in by ECS.
    public var revision: Int?
    /// `bridge`, `host`, `awsvpc` or `none`; `nil` means the platform default (bridge on Linux EC2).
    public var networkMode: String?
    /// `ACTIVE` or `INACTIVE`; filled in by ECS.
    public var status: String?
    /// The containers.
    public var containerDefinitions: [ECSContainerDefinition]
    /// The launch types it must be compatible with, e.g. `["EC2"]`.
    public var requiresCompatibilities: [String]?
    /// Task-level CPU units, as a string (ECS's own format), e.g. `"256"`.
    public var cpu: String?
    /// Task-level memory in MiB, as a string, e.g. `"512"`.
    public var memory: String?

    /// Creates a task definition.
    public init(
        family: String,
        containerDefinitions: [ECSContainerDefinition],
        networkMode: String? = nil,
        requiresCompatibilities: [String]? = nil,
        cpu: String? = nil,
        memory: String? = nil,
        taskDefinitionArn: String? = nil,
        revision: Int? = nil,
        status: String? = nil
    ) {
        self.family = family
        self.containerDefinitions = containerDefinitions
        self.networkMode = networkMode
        self.requiresCompatibilities = requiresCompatibilities
        self.cpu = cpu
        self.memory = memory
        self.taskDefinitionArn = taskDefinitionArn
        self.revision = revision
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case taskDefinitionArn, family, revision, networkMode, status, containerDefinitions, requiresCompatibilities, cpu, memory
    }

    /// Reads a task definition; absent container definitions read as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        taskDefinitionArn = try container.decodeIfPresent(String.self, forKey: .taskDefinitionArn)
        family = try container.decode(String.self, forKey: .family)
        revision = try container.decodeIfPresent(Int.self, forKey: .revision)
        networkMode = try container.decodeIfPresent(String.self, forKey: .networkMode)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        containerDefinitions = try container.list(.containerDefinitions)
        requiresCompatibilities = try container.decodeIfPresent([String].self, forKey: .requiresCompatibilities)
        cpu = try container.decodeIfPresent(String.self, forKey: .cpu)
        memory = try container.decodeIfPresent(String.self, forKey: .memory)
    }
}
