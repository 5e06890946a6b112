/// The input of RunTask: which task definition to start, how many, where and with what
/// labels. Encoded as the JSON body; `nil` fields are left out.
public struct ECSRunTaskRequest: Codable, Sendable, Hashable {
    /// The cluster name or ARN; `nil` means the account's `default` cluster.
    public var cluster: String?
    /// The task definition: `family`, `family:revision` or an ARN.
    public var taskDefinition: String
    /// How many tasks to start, 1 to ``ECSRunTaskRequest/maxCount``; `nil` means 1.
    public var count: Int?
    /// A label of up to 128 characters, findable with ListTasks' `startedBy` filter.
    public var startedBy: String?
    /// Tags for the tasks.
    public var tags: [ECSTag]?
    /// An idempotency token (up to 64 characters): ECS starts tasks for a token once, so a
    /// retried RunTask cannot launch twice.
    public var clientToken: String?
    /// `EC2`, `FARGATE` or `EXTERNAL`; leave `nil` when using a capacity provider strategy.
    public var launchType: String?
    /// Subnets and security groups, for awsvpc network mode.
    public var networkConfiguration: NetworkConfiguration?
    /// Rules for which instances may run the tasks.
    public var placementConstraints: [PlacementConstraint]?
    /// Capacity providers to run on, instead of a launch type.
    public var capacityProviderStrategy: [CapacityProviderStrategyItem]?
    /// Per-run changes to the task definition.
    public var overrides: TaskOverride?
    /// The task group; ECS defaults it to `family:<family>`.
    public var group: String?
    /// Whether to copy the task definition's tags onto the tasks: `TASK_DEFINITION` or `SERVICE`.
    public var propagateTags: String?

    /// RunTask's limit on `count`.
    public static let maxCount = 10

    /// The network configuration of awsvpc tasks.
    public struct NetworkConfiguration: Codable, Sendable, Hashable {
        /// The VPC settings.
        public var awsvpcConfiguration: AwsVpcConfiguration

        /// Creates a network configuration.
        public init(awsvpcConfiguration: AwsVpcConfiguration) {
            self.awsvpcConfiguration = awsvpcConfiguration
        }
    }

    /// Where awsvpc tasks get their network interface.
    public struct AwsVpcConfiguration: Codable, Sendable, Hashable {
        /// Subnet ids (up to 16).
        public var subnets: [String]
        /// Security group ids (up to 5); `nil` means the VPC default.
        public var securityGroups: [String]?
        /// `ENABLED` or `DISABLED` (Fargate only).
        public var assignPublicIp: String?

        /// Creates a VPC configuration.
        public init(subnets: [String], securityGroups: [String]? = nil, assignPublicIp: String? = nil) {
            self.subnets = subnets
            self.securityGroups = securityGroups
            self.assignPublicIp = assignPublicIp
        }
    }

    /// A placement rule, e.g. `memberOf` with a cluster query expression.
    public struct PlacementConstraint: Codable, Sendable, Hashable {
        /// `distinctInstance` or `memberOf`.
        public var type: String
        /// The cluster query expression, for `memberOf`.
        public var expression: String?

        /// Creates a constraint.
        public init(type: String, expression: String? = nil) {
            self.type = type
            self.expression = expression
        }
    }

    /// One capacity provider with its share of the tasks.
    public struct CapacityProviderStrategyItem: Codable, Sendable, Hashable {
        /// The capacity provider's name.
        public var capacityProvider: String
        /// Its relative share.
        public var weight: Int?
        /// How many tasks at least go to it first.
        public var base: Int?

        /// Creates a strategy item.
        public init(capacityProvider: String, weight: Int? = nil, base: Int? = nil) {
            self.capacityProvider = capacityProvider
            self.weight = weight
            self.base = base
        }
    }

    /// Per-run changes to the task definition.
    public struct TaskOverride: Codable, Sendable, Hashable {
        /// Changes to individual containers.
        public var containerOverrides: [ContainerOverride]?
        /// Task-level CPU units, e.g. `"512"`.
        public var cpu: String?
        /// Task-level memory in MiB, e.g. `"1024"`.
        public var memory: String?

        /// Creates an override.
        public init(containerOverrides: [ContainerOverride]? = nil, cpu: String? = nil, memory: String? = nil) {
            self.containerOverrides = containerOverrides
            self.cpu = cpu
            self.memory = memory
        }
    }

    /// Changes to one container for one run.
    public struct ContainerOverride: Codable, Sendable, Hashable {
        /// The container's name in the task definition.
        public var name: String
        /// A replacement command.
        public var command: [String]?
        /// Environment variables added or replaced.
        public var environment: [ECSKeyValuePair]?
        /// CPU units.
        public var cpu: Int?
        /// Hard memory limit in MiB.
        public var memory: Int?

        /// Creates a container override.
        public init(name: String, command: [String]? = nil, environment: [ECSKeyValuePair]? = nil, cpu: Int? = nil, memory: Int? = nil) {
            self.name = name
            self.command = command
            self.environment = environment
            self.cpu = cpu
            self.memory = memory
        }
    }

    /// Creates a RunTask input.
    public init(
        cluster: String? = nil,
        taskDefinition: String,
        count: Int? = nil,
        startedBy: String? = nil,
        tags: [ECSTag]? = nil,
        clientToken: String? = nil,
        launchType: String? = nil,
        networkConfiguration: NetworkConfiguration? = nil,
        placementConstraints: [PlacementConstraint]? = nil,
        capacityProviderStrategy: [CapacityProviderStrategyItem]? = nil,
        overrides: TaskOverride? = nil,
        group: String? = nil,
        propagateTags: String? = nil
    ) {
        self.cluster = cluster
        self.taskDefinition = taskDefinition
        self.count = count
        self.startedBy = startedBy
        self.tags = tags
        self.clientToken = clientToken
        self.launchType = launchType
        self.networkConfiguration = networkConfiguration
        self.placementConstraints = placementConstraints
        self.capacityProviderStrategy = capacityProviderStrategy
        self.overrides = overrides
        self.group = group
        self.propagateTags = propagateTags
    }
}
