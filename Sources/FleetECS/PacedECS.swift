import AWSClient

/// An ``ECSAPI`` that waits for its turn in an ``ECSRequestPacer`` before each call. A RunTask
/// of Fargate tasks (launch type FARGATE, or a FARGATE/FARGATE_SPOT capacity provider) also
/// waits for Fargate's own RunTask bucket.
struct PacedECS: ECSAPI {
    let base: any ECSAPI
    let pacer: ECSRequestPacer

    func listTasks(cluster: String, startedBy: String, nextToken: String?) async throws -> ECSPage {
        try await pacer.admit("ListTasks")
        return try await base.listTasks(cluster: cluster, startedBy: startedBy, nextToken: nextToken)
    }

    func describeTasks(cluster: String, arns: [String]) async throws -> ECSTasksResult {
        try await pacer.admit("DescribeTasks")
        return try await base.describeTasks(cluster: cluster, arns: arns)
    }

    func describeTaskDefinition(_ name: String) async throws -> ECSTaskDefinition {
        try await pacer.admit("DescribeTaskDefinition")
        return try await base.describeTaskDefinition(name)
    }

    func listContainerInstances(cluster: String, nextToken: String?) async throws -> ECSPage {
        try await pacer.admit("ListContainerInstances")
        return try await base.listContainerInstances(cluster: cluster, nextToken: nextToken)
    }

    func describeContainerInstances(cluster: String, arns: [String]) async throws -> ECSContainerInstancesResult {
        try await pacer.admit("DescribeContainerInstances")
        return try await base.describeContainerInstances(cluster: cluster, arns: arns)
    }

    func runTask(_ request: ECSRunTaskRequest) async throws -> ECSTasksResult {
        try await pacer.admit("RunTask", fargate: Self.isFargate(request))
        return try await base.runTask(request)
    }

    func stopTask(cluster: String, task: String, reason: String) async throws {
        try await pacer.admit("StopTask")
        try await base.stopTask(cluster: cluster, task: task, reason: reason)
    }

    func tagResource(_ arn: String, tags: [ECSTag]) async throws {
        try await pacer.admit("TagResource")
        try await base.tagResource(arn, tags: tags)
    }

    func untagResource(_ arn: String, keys: [String]) async throws {
        try await pacer.admit("UntagResource")
        try await base.untagResource(arn, keys: keys)
    }

    /// True when the RunTask starts Fargate tasks.
    static func isFargate(_ request: ECSRunTaskRequest) -> Bool {
        if request.launchType == "FARGATE" { return true }
        return request.capacityProviderStrategy?.contains { $0.capacityProvider.hasPrefix("FARGATE") } ?? false
    }
}
