import AWSClient

/// The ECS operations the provider uses, each exactly one AWS call, so that counting calls here
/// counts requests to AWS (retries inside one call aside).
///
/// The live implementation is ``LiveECS`` over `AWSClient.ECSClient`; unit tests use an
/// in-memory cluster.
public protocol ECSAPI: Sendable {
    /// One page of ListTasks: the ARNs of the tasks in `cluster` started with `startedBy`, and the
    /// token of the next page (nil on the last). Only `startedBy` is given as a filter, since
    /// ECS wants it alone; ECS then lists tasks whose desired status is `RUNNING`.
    func listTasks(cluster: String, startedBy: String, nextToken: String?) async throws -> ECSPage
    /// DescribeTasks with their tags, for at most ``ECSClient/describeBatchSize`` ARNs.
    func describeTasks(cluster: String, arns: [String]) async throws -> ECSTasksResult
    /// DescribeTaskDefinition of `family`, `family:revision` or an ARN.
    func describeTaskDefinition(_ name: String) async throws -> ECSTaskDefinition
    /// One page of ListContainerInstances of `cluster`.
    func listContainerInstances(cluster: String, nextToken: String?) async throws -> ECSPage
    /// DescribeContainerInstances for at most ``ECSClient/describeBatchSize`` ARNs.
    func describeContainerInstances(cluster: String, arns: [String]) async throws -> ECSContainerInstancesResult
    /// RunTask; ECS's `failures` come back in the result, not as an error.
    func runTask(_ request: ECSRunTaskRequest) async throws -> ECSTasksResult
    /// StopTask with `reason` (at most 255 characters).
    func stopTask(cluster: String, task: String, reason: String) async throws
    /// TagResource on a task (or another ECS resource).
    func tagResource(_ arn: String, tags: [ECSTag]) async throws
    /// UntagResource; keys the resource does not have are ignored.
    func untagResource(_ arn: String, keys: [String]) async throws
}

/// One page of a list operation.
public struct ECSPage: Sendable, Equatable {
    /// The ARNs on this page.
    public var arns: [String]
    /// Where the next page starts; nil on the last page.
    public var nextToken: String?

    /// Creates a page.
    public init(arns: [String], nextToken: String? = nil) {
        self.arns = arns
        self.nextToken = nextToken
    }
}
