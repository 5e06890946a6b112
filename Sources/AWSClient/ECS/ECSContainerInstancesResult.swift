/// Container instances with the ARNs ECS could not describe.
public struct ECSContainerInstancesResult: Codable, Sendable, Hashable {
    /// The instances found.
    public var containerInstances: [ECSContainerInstance]
    /// The ones not found, and why.
    public var failures: [ECSFailure]

    /// Creates a result.
    public init(containerInstances: [ECSContainerInstance] = [], failures: [ECSFailure] = []) {
        self.containerInstances = containerInstances
        self.failures = failures
    }

    enum CodingKeys: String, CodingKey { case containerInstances, failures }

    /// Reads a result; absent lists read as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        containerInstances = try container.list(.containerInstances)
        failures = try container.list(.failures)
    }
}
