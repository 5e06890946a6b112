import AWSClient

/// An ``ECSAPI`` that counts every call in an ``AWSCallCounter`` and passes it on.
struct CountingECS: ECSAPI {
    let base: any ECSAPI
    let counter: AWSCallCounter

    func listTasks(cluster: String, startedBy: String, nextToken: String?) async throws -> ECSPage {
        try await counter.count("ListTasks") { try await base.listTasks(cluster: cluster, startedBy: startedBy, nextToken: nextToken) }
    }

    func describeTasks(cluster: String, arns: [String]) async throws -> ECSTasksResult {
        try await counter.count("DescribeTasks") { try await base.describeTasks(cluster: cluster, arns: arns) }
    }

    func describeTaskDefinition(_ name: String) async throws -> ECSTaskDefinition {
        try await counter.count("DescribeTaskDefinition") { try await base.describeTaskDefinition(name) }
    }

    func listContainerInstances(cluster: String, nextToken: String?) async throws -> ECSPage {
        try await counter.count("ListContainerInstances") { try await base.listContainerInstances(cluster: cluster, nextToken: nextToken) }
    }

    func describeContainerInstances(cluster: String, arns: [String]) async throws -> ECSContainerInstancesResult {
        try await counter.count("DescribeContainerInstances") { try await base.describeContainerInstances(cluster: cluster, arns: arns) }
    }

    func runTask(_ request: ECSRunTaskRequest) async throws -> ECSTasksResult {
        try await counter.count("RunTask") { try await base.runTask(request) }
    }

    func stopTask(cluster: String, task: String, reason: String) async throws {
        try await counter.count("StopTask") { try await base.stopTask(cluster: cluster, task: task, reason: reason) }
    }

    func tagResource(_ arn: String, tags: [ECSTag]) async throws {
        try await counter.count("TagResource") { try await base.tagResource(arn, tags: tags) }
    }

    func untagResource(_ arn: String, keys: [String]) async throws {
        try await counter.count("UntagResource") { try await base.untagResource(arn, keys: keys) }
    }
}
