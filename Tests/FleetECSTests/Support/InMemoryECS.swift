import AWSClient
import FleetECS
import Foundation
import Synchronization

/// An ECS cluster in memory for unit tests: RunTask places tasks (honouring client tokens, as ECS
/// does), ListTasks pages 100 at a time like ECS, and any operation can be made to fail.
final class InMemoryECS: ECSAPI {
    struct State {
        var order: [String] = []
        var tasks: [String: ECSTask] = [:]
        var definitions: [String: ECSTaskDefinition] = [:]
        var containerInstances: [String: ECSContainerInstance] = [:]
        var tokens: [String: [String]] = [:]
        var runRequests: [ECSRunTaskRequest] = []
        var stopReasons: [String: String] = [:]
        /// Most tasks RunTask will start in total; beyond it, RESOURCE:MEMORY failures.
        var room = Int.max
        /// Errors thrown by the next calls of an operation.
        var failures: [String: [any Error]] = [:]
        /// Errors thrown by calls of an operation naming this ARN.
        var failuresFor: [String: any Error] = [:]
        /// How the next RunTask'd tasks look: lastStatus and a containerInstance.
        var placeOn: String?
        var launchedStatus = "PENDING"
        var next = 0
        /// RunTask calls still to carry out and then fail as if the answer were lost.
        var loseAnswers = 0
        /// While true, tasks RunTask starts go into `unlisted`.
        var lagging = false
        /// Tasks ListTasks leaves out (ECS's listing lagging behind RunTask).
        var unlisted: Set<String> = []
    }

    let state = Mutex(State())
    static let clusterArn = "arn:aws:ecs:us-east-1:123456789012:cluster/test"
    static let pageSize = 100

    func update<T>(_ change: (inout State) throws -> T) rethrows -> T { try state.withLock { state throws -> T in try change(&state) } }

    /// Registers `definition` as the next revision of its family and returns its ARN.
    @discardableResult
    func register(_ definition: ECSTaskDefinition) -> String {
        update { state in
            let revision = (state.definitions.values.filter { $0.family == definition.family }.compactMap(\.revision).max() ?? 0) + 1
            var stored = definition
            stored.revision = revision
            stored.status = "ACTIVE"
            let arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/\(definition.family):\(revision)"
            stored.taskDefinitionArn = arn
            state.definitions[arn] = stored
            return arn
        }
    }

    /// Adds a task as ECS would have it.
    func add(_ task: ECSTask) {
        update { state in
            if state.tasks[task.taskArn] == nil { state.order.append(task.taskArn) }
            state.tasks[task.taskArn] = task
        }
    }

    func task(_ arn: String) -> ECSTask? { update { $0.tasks[arn] } }
    var runRequests: [ECSRunTaskRequest] { update { $0.runRequests } }

    /// Tasks of `startedBy` not stopped.
    func live(startedBy: String) -> [ECSTask] {
        update { state in state.order.compactMap { state.tasks[$0] }.filter { $0.startedBy == startedBy && $0.lastStatus != "STOPPED" } }
    }

    func failNext(_ operation: String, with error: any Error, times: Int = 1) {
        update { $0.failures[operation, default: []] += Array(repeating: error, count: times) }
    }

    private func check(_ operation: String, arn: String? = nil) throws {
        try update { state in
            if var queued = state.failures[operation], !queued.isEmpty {
                let error = queued.removeFirst()
                state.failures[operation] = queued
                throw error
            }
            if let arn, let error = state.failuresFor[arn] { throw error }
        }
    }

    static func serviceError(_ operation: String, _ code: String, status: Int = 400) -> AWSServiceError {
        AWSServiceError(service: "ecs", operation: operation, statusCode: status, code: code, message: "injected by the test")
    }

    func listTasks(cluster: String, startedBy: String, nextToken: String?) async throws -> ECSPage {
        try check("ListTasks")
        return update { state in
            // ECS lists tasks whose desired status is RUNNING.
            let all = state.order.filter { state.tasks[$0]?.startedBy == startedBy && state.tasks[$0]?.desiredStatus == "RUNNING" && !state.unlisted.contains($0) }
            let start = nextToken.flatMap(Int.init) ?? 0
            let end = min(start + Self.pageSize, all.count)
            return ECSPage(arns: Array(all[start..<end]), nextToken: end < all.count ? String(end) : nil)
        }
    }

    func describeTasks(cluster: String, arns: [String]) async throws -> ECSTasksResult {
        precondition(arns.count <= 100, "ECS describes at most 100 tasks per call")
        try check("DescribeTasks")
        return update { state in
            ECSTasksResult(
                tasks: arns.compactMap { state.tasks[$0] },
                failures: arns.filter { state.tasks[$0] == nil }.map { ECSFailure(arn: $0, reason: "MISSING") })
        }
    }

    func describeTaskDefinition(_ name: String) async throws -> ECSTaskDefinition {
        try check("DescribeTaskDefinition", arn: name)
        return try update { state in
            let wanted = TaskDefinitionName(parsing: name)
            let matching = state.definitions.values.filter { $0.family == wanted.family && (wanted.revision == nil || $0.revision == wanted.revision) }
            guard let found = matching.max(by: { ($0.revision ?? 0) < ($1.revision ?? 0) }) else {
                throw Self.serviceError("DescribeTaskDefinition", "ClientException")
            }
            return found
        }
    }

    func listContainerInstances(cluster: String, nextToken: String?) async throws -> ECSPage {
        try check("ListContainerInstances")
        return update { ECSPage(arns: $0.containerInstances.keys.sorted()) }
    }

    func describeContainerInstances(cluster: String, arns: [String]) async throws -> ECSContainerInstancesResult {
        try check("DescribeContainerInstances")
        return update { state in ECSContainerInstancesResult(containerInstances: arns.compactMap { state.containerInstances[$0] }) }
    }

    func runTask(_ request: ECSRunTaskRequest) async throws -> ECSTasksResult {
        try check("RunTask")
        let answer = try carryOut(request)
        let lost = update { state in
            defer { state.loseAnswers = max(0, state.loseAnswers - 1) }
            return state.loseAnswers > 0
        }
        if lost {
            throw AWSCallError(service: "ecs", operation: "RunTask", reason: .transport(.connectionFailed("answer lost (test)")), attempts: 3)
        }
        return answer
    }

    private func carryOut(_ request: ECSRunTaskRequest) throws -> ECSTasksResult {
        try update { state in
            state.runRequests.append(request)
            if let token = request.clientToken, let earlier = state.tokens[token] {
                return ECSTasksResult(tasks: earlier.compactMap { state.tasks[$0] })
            }
            let wanted = TaskDefinitionName(parsing: request.taskDefinition)
            guard let definition = state.definitions.values.filter({ $0.family == wanted.family && (wanted.revision == nil || $0.revision == wanted.revision) })
                .max(by: { ($0.revision ?? 0) < ($1.revision ?? 0) })
            else { throw Self.serviceError("RunTask", "ClientException") }
            var started: [ECSTask] = []
            var failures: [ECSFailure] = []
            for _ in 0..<(request.count ?? 1) {
                guard state.room > 0 else {
                    failures.append(ECSFailure(arn: "arn:aws:ecs:us-east-1:123456789012:container-instance/test/full", reason: "RESOURCE:MEMORY"))
                    continue
                }
                state.room -= 1
                state.next += 1
                let task = ECSTask(
                    taskArn: "arn:aws:ecs:us-east-1:123456789012:task/test/t\(state.next)",
                    taskDefinitionArn: definition.taskDefinitionArn, clusterArn: Self.clusterArn,
                    lastStatus: state.launchedStatus, desiredStatus: "RUNNING", startedBy: request.startedBy,
                    launchType: request.launchType, containerInstanceArn: state.placeOn,
                    tags: request.tags ?? [])
                state.order.append(task.taskArn)
                state.tasks[task.taskArn] = task
                if state.lagging { state.unlisted.insert(task.taskArn) }
                started.append(task)
            }
            if let token = request.clientToken { state.tokens[token] = started.map(\.taskArn) }
            return ECSTasksResult(tasks: started, failures: failures)
        }
    }

    func stopTask(cluster: String, task: String, reason: String) async throws {
        try check("StopTask", arn: task)
        try update { state in
            guard state.tasks[task] != nil else { throw Self.serviceError("StopTask", "InvalidParameterException") }
            state.tasks[task]?.desiredStatus = "STOPPED"
            state.tasks[task]?.stoppedReason = reason
            state.stopReasons[task] = reason
        }
    }

    func tagResource(_ arn: String, tags: [ECSTag]) async throws {
        try check("TagResource", arn: arn)
        update { state in
            for tag in tags {
                state.tasks[arn]?.tags.removeAll { $0.key == tag.key }
                state.tasks[arn]?.tags.append(tag)
            }
        }
    }

    func untagResource(_ arn: String, keys: [String]) async throws {
        try check("UntagResource", arn: arn)
        update { state in state.tasks[arn]?.tags.removeAll { keys.contains($0.key) } }
    }
}
