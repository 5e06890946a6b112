import AWSClient

/// ``ECSAPI`` over gamefleet's own ECS client: one method, one ECS call.
public struct LiveECS: ECSAPI {
    /// The client calls go through.
    public let client: ECSClient

    /// Uses `client`.
    public init(client: ECSClient) {
        self.client = client
    }

    private struct ListTasksInput: Encodable {
        var cluster: String
        var startedBy: String
        var nextToken: String?
    }

    private struct ListTasksOutput: Decodable {
        var taskArns: [String]?
        var nextToken: String?
    }

    private struct ListContainerInstancesInput: Encodable {
        var cluster: String
        var nextToken: String?
    }

    private struct ListContainerInstancesOutput: Decodable {
        var containerInstanceArns: [String]?
        var nextToken: String?
    }

    public func listTasks(cluster: String, startedBy: String, nextToken: String?) async throws -> ECSPage {
        // One page per call (ECSClient.listTasks follows every page itself), so the provider can
        // count pages and stop at a page token that repeats.
        let output = try await client.perform(
            "ListTasks", ListTasksInput(cluster: cluster, startedBy: startedBy, nextToken: nextToken), as: ListTasksOutput.self)
        return ECSPage(arns: output.taskArns ?? [], nextToken: output.nextToken.flatMap { $0.isEmpty ? nil : $0 })
    }

    public func describeTasks(cluster: String, arns: [String]) async throws -> ECSTasksResult {
        try await client.describeTasks(cluster: cluster, tasks: arns, includeTags: true)
    }

    public func describeTaskDefinition(_ name: String) async throws -> ECSTaskDefinition {
        try await client.describeTaskDefinition(name)
    }

    public func listContainerInstances(cluster: String, nextToken: String?) async throws -> ECSPage {
        let output = try await client.perform(
            "ListContainerInstances", ListContainerInstancesInput(cluster: cluster, nextToken: nextToken),
            as: ListContainerInstancesOutput.self)
        return ECSPage(arns: output.containerInstanceArns ?? [], nextToken: output.nextToken.flatMap { $0.isEmpty ? nil : $0 })
    }

    public func describeContainerInstances(cluster: String, arns: [String]) async throws -> ECSContainerInstancesResult {
        try await client.describeContainerInstances(cluster: cluster, containerInstances: arns)
    }

    public func runTask(_ request: ECSRunTaskRequest) async throws -> ECSTasksResult {
        try await client.runTask(request)
    }

    public func stopTask(cluster: String, task: String, reason: String) async throws {
        _ = try await client.stopTask(cluster: cluster, task: task, reason: reason)
    }

    public func tagResource(_ arn: String, tags: [ECSTag]) async throws {
        try await client.tagResource(arn, tags: tags)
    }

    public func untagResource(_ arn: String, keys: [String]) async throws {
        try await client.untagResource(arn, tagKeys: keys)
    }
}
