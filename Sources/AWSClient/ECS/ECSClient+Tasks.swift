extension ECSClient {
    /// DescribeTasks and DescribeContainerInstances accept at most this many ARNs per call.
    public static let describeBatchSize = 100

    private struct ListTasksOutput: Decodable {
        var taskArns: [String]?
        var nextToken: String?
    }

    private struct DescribeTasksInput: Encodable {
        var cluster: String?
        var tasks: [String]
        var include: [String]?
    }

    private struct StopTaskInput: Encodable {
        var cluster: String?
        var task: String
        var reason: String?
    }

    private struct StopTaskOutput: Decodable {
        var task: ECSTask
    }

    /// ListTasks, following `nextToken` through every page: the ARNs of all tasks matching
    /// `request`, in the order ECS lists them. An empty list means no match.
    /// - Throws: ``AWSServiceError`` (e.g. `ClusterNotFoundException`), ``AWSCallError``
    ///   (also when ECS hands back a page token it already gave, which would loop forever).
    public func listTasks(_ request: ECSListTasksRequest) async throws -> [String] {
        var page = request
        var arns: [String] = []
        var seenTokens: Set<String> = []
        while true {
            let output = try await perform("ListTasks", page, as: ListTasksOutput.self)
            arns += output.taskArns ?? []
            guard let token = output.nextToken, !token.isEmpty else { return arns }
            guard seenTokens.insert(token).inserted else {
                throw AWSCallError(service: "ecs", operation: "ListTasks", reason: .malformedResponse("nextToken repeats an earlier page"), attempts: 1)
            }
            page.nextToken = token
        }
    }

    /// DescribeTasks for `tasks` (ARNs or ids), in batches of ``describeBatchSize``, with their
    /// tags when `includeTags` is true. The results of all batches are joined in order.
    /// An empty `tasks` returns an empty result without calling ECS, which would reject it.
    public func describeTasks(cluster: String?, tasks: [String], includeTags: Bool = true) async throws -> ECSTasksResult {
        var result = ECSTasksResult()
        for start in stride(from: 0, to: tasks.count, by: Self.describeBatchSize) {
            let batch = Array(tasks[start..<min(start + Self.describeBatchSize, tasks.count)])
            let page = try await perform(
                "DescribeTasks",
                DescribeTasksInput(cluster: cluster, tasks: batch, include: includeTags ? ["TAGS"] : nil),
                as: ECSTasksResult.self
            )
            result.tasks += page.tasks
            result.failures += page.failures
        }
        return result
    }

    /// RunTask: starts up to ``ECSRunTaskRequest/maxCount`` tasks and returns those started
    /// together with ECS's `failures` (e.g. no instance with room), which are the caller's to
    /// handle: fewer tasks than asked for is not an error.
    /// - Throws: ``AWSCallError`` with ``AWSCallError/Reason/invalidRequest(_:)``, before
    ///   anything is sent, when `count` is below 1 or above 10; otherwise as ``perform(_:_:as:)``.
    public func runTask(_ request: ECSRunTaskRequest) async throws -> ECSTasksResult {
        let count = request.count ?? 1
        guard (1...ECSRunTaskRequest.maxCount).contains(count) else {
            throw invalid("RunTask", "count must be between 1 and \(ECSRunTaskRequest.maxCount), not \(count)")
        }
        return try await perform("RunTask", request, as: ECSTasksResult.self)
    }

    /// StopTask: asks ECS to stop `task` (ARN or id) and returns it as it is now, usually
    /// with `desiredStatus` `STOPPED` and `lastStatus` still `RUNNING`.
    /// - Parameter reason: shown as the task's `stoppedReason` (up to 255 characters).
    public func stopTask(cluster: String?, task: String, reason: String?) async throws -> ECSTask {
        try await perform("StopTask", StopTaskInput(cluster: cluster, task: task, reason: reason), as: StopTaskOutput.self).task
    }
}
