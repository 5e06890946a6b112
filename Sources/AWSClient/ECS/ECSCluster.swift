/// A cluster, as CreateCluster and DescribeClusters report it.
public struct ECSCluster: Codable, Sendable, Hashable {
    /// Its ARN.
    public var clusterArn: String?
    /// Its name.
    public var clusterName: String?
    /// `ACTIVE`, `PROVISIONING`, `DEPROVISIONING`, `FAILED` or `INACTIVE`.
    public var status: String?
    /// The capacity providers attached to it (`FARGATE`, `FARGATE_SPOT`, or Auto Scaling group ones):
    /// a RunTask strategy may only name these.
    public var capacityProviders: [String]?

    /// Creates a cluster record.
    public init(clusterArn: String? = nil, clusterName: String? = nil, status: String? = nil, capacityProviders: [String]? = nil) {
        self.clusterArn = clusterArn
        self.clusterName = clusterName
        self.status = status
        self.capacityProviders = capacityProviders
    }
}

/// What DescribeClusters found, and the names it did not (`reason` `MISSING`).
public struct ECSClustersResult: Codable, Sendable, Hashable {
    /// The clusters found.
    public var clusters: [ECSCluster]
    /// The ones not found, and why.
    public var failures: [ECSFailure]

    /// Creates a result.
    public init(clusters: [ECSCluster] = [], failures: [ECSFailure] = []) {
        self.clusters = clusters
        self.failures = failures
    }

    enum CodingKeys: String, CodingKey { case clusters, failures }

    /// Reads a result; absent lists read as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        clusters = try container.list(.clusters)
        failures = try container.list(.failures)
    }
}
