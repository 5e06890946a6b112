/// An EC2 instance registered in a cluster, as DescribeContainerInstances reports it; gamefleet
/// needs its EC2 instance id to find the address of bridge-mode gameservers.
public struct ECSContainerInstance: Codable, Sendable, Hashable {
    /// Its ARN.
    public var containerInstanceArn: String?
    /// The EC2 instance behind it, e.g. `i-0123456789abcdef0`.
    public var ec2InstanceId: String?
    /// `ACTIVE`, `DRAINING`, `INACTIVE`, `REGISTERING`…
    public var status: String?
    /// Whether its ECS agent is connected.
    public var agentConnected: Bool?
    /// Tasks running on it.
    public var runningTasksCount: Int?
    /// Tasks about to run on it.
    public var pendingTasksCount: Int?

    /// Creates a container instance record.
    public init(
        containerInstanceArn: String? = nil,
        ec2InstanceId: String? = nil,
        status: String? = nil,
        agentConnected: Bool? = nil,
        runningTasksCount: Int? = nil,
        pendingTasksCount: Int? = nil
    ) {
        self.containerInstanceArn = containerInstanceArn
        self.ec2InstanceId = ec2InstanceId
        self.status = status
        self.agentConnected = agentConnected
        self.runningTasksCount = runningTasksCount
        self.pendingTasksCount = pendingTasksCount
    }
}
