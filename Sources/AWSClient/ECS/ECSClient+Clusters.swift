extension ECSClient {
    private struct CreateClusterInput: Encodable {
        var clusterName: String
    }

    private struct ClusterOutput: Decodable {
        var cluster: ECSCluster
    }

    private struct DescribeClustersInput: Encodable {
        var clusters: [String]
    }

    private struct CapacityProvidersInput: Encodable {
        struct Share: Encodable {
            var capacityProvider: String
        }
        var cluster: String
        var capacityProviders: [String]
        var defaultCapacityProviderStrategy: [Share]
    }

    /// CreateCluster: creates `name` (or returns it unchanged if it exists). Used by tests and
    /// setup; moto has no `default` cluster until one is created.
    public func createCluster(_ name: String) async throws -> ECSCluster {
        try await perform("CreateCluster", CreateClusterInput(clusterName: name), as: ClusterOutput.self).cluster
    }

    /// DescribeClusters for `names` (names or ARNs): those found, with their status and capacity
    /// providers, and a failure (`MISSING`) for each that is not. An empty `names` asks nothing.
    public func describeClusters(_ names: [String]) async throws -> ECSClustersResult {
        guard !names.isEmpty else { return ECSClustersResult() }
        return try await perform("DescribeClusters", DescribeClustersInput(clusters: names), as: ECSClustersResult.self)
    }

    /// PutClusterCapacityProviders: attaches exactly `providers` to `cluster` (it replaces the
    /// list) and clears the default strategy. For tests and setup: gamefleet never changes a cluster.
    public func putClusterCapacityProviders(cluster: String, providers: [String]) async throws -> ECSCluster {
        try await perform(
            "PutClusterCapacityProviders",
            CapacityProvidersInput(cluster: cluster, capacityProviders: providers, defaultCapacityProviderStrategy: []),
            as: ClusterOutput.self).cluster
    }
}
