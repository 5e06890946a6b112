/// Tasks with the items ECS could not act on, as RunTask and DescribeTasks return them.
/// A non-empty ``failures`` is not an error: some tasks may have started or been found while
/// others did not, and the caller decides what that means.
public struct ECSTasksResult: Codable, Sendable, Hashable {
    /// The tasks started or described.
    public var tasks: [ECSTask]
    /// What could not be done, and why (e.g. `RESOURCE:MEMORY`, `MISSING`).
    public var failures: [ECSFailure]

    /// Creates a result.
    public init(tasks: [ECSTask] = [], failures: [ECSFailure] = []) {
        self.tasks = tasks
        self.failures = failures
    }

    enum CodingKeys: String, CodingKey { case tasks, failures }

    /// Reads a result; absent lists read as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tasks = try container.list(.tasks)
        failures = try container.list(.failures)
    }
}
