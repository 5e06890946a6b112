extension ECSClient {
    private struct CreateClusterInput: Encodable {
        var clusterName: String
    }

    private struct CreateClusterOutput: Decodable {
        var cluster: ECSCluster
    }

    /// CreateCluster: creates `name` (or returns it unchanged if it exists). Used by tests and
    /// setup; moto has no `default` cluster until one is created.
    public func createCluster(_ name: String) async throws -> ECSCluster {
        try await perform("CreateCluster", CreateClusterInput(clusterName: name), as: CreateClusterOutput.self).cluster
    }
}
