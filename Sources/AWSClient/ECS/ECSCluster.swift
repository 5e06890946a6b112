/// A cluster, as CreateCluster returns it.
public struct ECSCluster: Codable, Sendable, Hashable {
    /// Its ARN.
    public var clusterArn: String?
    /// Its name.
    public var clusterName: String?
    /// `ACTIVE`, `PROVISIONING`, `DEPROVISIONING`, `FAILED` or `INACTIVE`.
    public var status: String?

    /// Creates a cluster record.
    public init(clusterArn: String? = nil, clusterName: String? = nil, status: String? = nil) {
        self.clusterArn = clusterArn
        self.clusterName = clusterName
        self.status = status
    }
}
