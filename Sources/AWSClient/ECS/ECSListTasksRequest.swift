/// The filters of ListTasks. All are optional and combine with "and".
public struct ECSListTasksRequest: Codable, Sendable, Hashable {
    /// The cluster name or ARN; `nil` means `default`.
    public var cluster: String?
    /// Only tasks started with this `startedBy`.
    public var startedBy: String?
    /// `RUNNING` (ECS's default when unset), `PENDING` or `STOPPED`. Note that ECS filters on
    /// the desired status, so a task being stopped is listed under `STOPPED`.
    public var desiredStatus: String?
    /// Only tasks of this task definition family.
    public var family: String?
    /// Only tasks on this container instance.
    public var containerInstance: String?
    /// Page size, 1–100; `nil` lets ECS choose (100).
    public var maxResults: Int?
    /// Where to continue; set by ``ECSClient/listTasks(_:)`` while following pages.
    public var nextToken: String?

    /// Creates a filter.
    public init(
        cluster: String? = nil,
        startedBy: String? = nil,
        desiredStatus: String? = nil,
        family: String? = nil,
        containerInstance: String? = nil,
        maxResults: Int? = nil,
        nextToken: String? = nil
    ) {
        self.cluster = cluster
        self.startedBy = startedBy
        self.desiredStatus = desiredStatus
        self.family = family
        self.containerInstance = containerInstance
        self.maxResults = maxResults
        self.nextToken = nextToken
    }
}
