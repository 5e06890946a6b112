import Foundation

/// A task as DescribeTasks, RunTask and StopTask report it: the fields gamefleet reads to know
/// which gameservers exist, where they listen and whether they are running.
public struct ECSTask: Codable, Sendable, Hashable {
    /// The task's ARN.
    public var taskArn: String
    /// The ARN of the task definition it runs.
    public var taskDefinitionArn: String?
    /// The cluster's ARN.
    public var clusterArn: String?
    /// The last known state: `PROVISIONING`, `PENDING`, `ACTIVATING`, `RUNNING`,
    /// `DEACTIVATING`, `STOPPING`, `DEPROVISIONING` or `STOPPED`.
    public var lastStatus: String?
    /// The state ECS is moving the task to: `RUNNING` or `STOPPED`.
    public var desiredStatus: String?
    /// The `startedBy` given to RunTask, if any.
    public var startedBy: String?
    /// The task group, e.g. `family:gameserver`.
    public var group: String?
    /// `EC2`, `FARGATE` or `EXTERNAL`.
    public var launchType: String?
    /// When the task was created (sent as epoch seconds).
    public var createdAt: Date?
    /// When the task started running.
    public var startedAt: Date?
    /// When the task stopped.
    public var stoppedAt: Date?
    /// Why the task stopped, e.g. the reason given to StopTask.
    public var stoppedReason: String?
    /// ECS's code for why the task stopped: `TaskFailedToStart`, `EssentialContainerExited`,
    /// `UserInitiated`, `ServiceSchedulerInitiated`, `SpotInterruption`, `TerminationNotice`.
    public var stopCode: String?
    /// The container instance it runs on (EC2 launch type only).
    public var containerInstanceArn: String?
    /// Elastic network interfaces attached to it (awsvpc network mode).
    public var attachments: [ECSAttachment]
    /// Its containers.
    public var containers: [ECSContainer]
    /// Its tags; DescribeTasks sends them only when asked with `include: ["TAGS"]`.
    public var tags: [ECSTag]

    /// Creates a task record (for fakes and tests; ECS produces the real ones).
    public init(
        taskArn: String,
        taskDefinitionArn: String? = nil,
        clusterArn: String? = nil,
        lastStatus: String? = nil,
        desiredStatus: String? = nil,
        startedBy: String? = nil,
        group: String? = nil,
        launchType: String? = nil,
        createdAt: Date? = nil,
        startedAt: Date? = nil,
        stoppedAt: Date? = nil,
        stoppedReason: String? = nil,
        stopCode: String? = nil,
        containerInstanceArn: String? = nil,
        attachments: [ECSAttachment] = [],
        containers: [ECSContainer] = [],
        tags: [ECSTag] = []
    ) {
        self.taskArn = taskArn
        self.taskDefinitionArn = taskDefinitionArn
        self.clusterArn = clusterArn
        self.lastStatus = lastStatus
        self.desiredStatus = desiredStatus
        self.startedBy = startedBy
        self.group = group
        self.launchType = launchType
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.stoppedAt = stoppedAt
        self.stoppedReason = stoppedReason
        self.stopCode = stopCode
        self.containerInstanceArn = containerInstanceArn
        self.attachments = attachments
        self.containers = containers
        self.tags = tags
    }

    enum CodingKeys: String, CodingKey {
        case taskArn, taskDefinitionArn, clusterArn, lastStatus, desiredStatus, startedBy, group, launchType
        case createdAt, startedAt, stoppedAt, stoppedReason, stopCode, containerInstanceArn, attachments, containers, tags
    }

    /// Reads a task; absent lists read as empty, and an empty `startedBy` or `launchType`
    /// (which moto sends) as absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        taskArn = try container.decode(String.self, forKey: .taskArn)
        taskDefinitionArn = try container.decodeIfPresent(String.self, forKey: .taskDefinitionArn)
        clusterArn = try container.decodeIfPresent(String.self, forKey: .clusterArn)
        lastStatus = try container.decodeIfPresent(String.self, forKey: .lastStatus)
        desiredStatus = try container.decodeIfPresent(String.self, forKey: .desiredStatus)
        startedBy = try container.decodeIfPresent(String.self, forKey: .startedBy).flatMap { $0.isEmpty ? nil : $0 }
        group = try container.decodeIfPresent(String.self, forKey: .group)
        launchType = try container.decodeIfPresent(String.self, forKey: .launchType).flatMap { $0.isEmpty ? nil : $0 }
        createdAt = try container.decodeIfPresent(Date.self, forKey: .createdAt)
        startedAt = try container.decodeIfPresent(Date.self, forKey: .startedAt)
        stoppedAt = try container.decodeIfPresent(Date.self, forKey: .stoppedAt)
        stoppedReason = try container.decodeIfPresent(String.self, forKey: .stoppedReason).flatMap { $0.isEmpty ? nil : $0 }
        stopCode = try container.decodeIfPresent(String.self, forKey: .stopCode).flatMap { $0.isEmpty ? nil : $0 }
        containerInstanceArn = try container.decodeIfPresent(String.self, forKey: .containerInstanceArn)
        attachments = try container.list(.attachments)
        containers = try container.list(.containers)
        tags = try container.list(.tags)
    }

    /// The value of tag `key`, or `nil`.
    public func tag(_ key: String) -> String? {
        tags.first { $0.key == key }?.value
    }

    /// The id of the task's elastic network interface (awsvpc mode), from its
    /// `ElasticNetworkInterface` attachment.
    public var networkInterfaceID: String? {
        attachments.lazy.compactMap { $0.detail("networkInterfaceId") }.first
    }

    /// The task's private IPv4 address in awsvpc mode, from its attachment or, failing that,
    /// its first container's network interface.
    public var privateIPv4Address: String? {
        attachments.lazy.compactMap { $0.detail("privateIPv4Address") }.first
            ?? containers.lazy.flatMap(\.networkInterfaces).compactMap(\.privateIpv4Address).first
    }
}
