extension ECSClient {
    private struct DescribeTaskDefinitionInput: Encodable {
        var taskDefinition: String
    }

    private struct TaskDefinitionOutput: Decodable {
        var taskDefinition: ECSTaskDefinition
    }

    /// DescribeTaskDefinition: the definition named by `family`, `family:revision` or ARN
    /// (the latest active revision for a bare family).
    public func describeTaskDefinition(_ taskDefinition: String) async throws -> ECSTaskDefinition {
        try await perform("DescribeTaskDefinition", DescribeTaskDefinitionInput(taskDefinition: taskDefinition), as: TaskDefinitionOutput.self)
            .taskDefinition
    }

    /// RegisterTaskDefinition: registers `definition` as the family's next revision and returns
    /// it as ECS stored it (with ARN and revision). Used by tests and setup.
    public func registerTaskDefinition(_ definition: ECSTaskDefinition) async throws -> ECSTaskDefinition {
        var input = definition
        // These are ECS's to assign; sending them back would be rejected.
        input.taskDefinitionArn = nil
        input.revision = nil
        input.status = nil
        return try await perform("RegisterTaskDefinition", input, as: TaskDefinitionOutput.self).taskDefinition
    }
}
