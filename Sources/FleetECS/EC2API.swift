import AWSClient

/// The EC2 operations the provider uses: finding the addresses of hosts and network interfaces,
/// and (with a launch template) starting and ending one host per gameserver.
///
/// The live implementation is ``LiveEC2`` over `AWSClient.EC2Client`; unit tests use an
/// in-memory one.
public protocol EC2API: Sendable {
    /// DescribeInstances for `ids` (never empty). An unknown id fails the whole call.
    func describeInstances(ids: [String]) async throws -> [EC2Instance]
    /// DescribeInstances for every instance matching all `filters` (never empty), every page.
    func describeInstances(filters: [EC2Filter]) async throws -> [EC2Instance]
    /// DescribeNetworkInterfaces for `ids` (never empty).
    func describeNetworkInterfaces(ids: [String]) async throws -> [EC2NetworkInterface]
    /// RunInstances; returns the instances as first reported.
    func runInstances(_ request: EC2RunInstancesRequest) async throws -> [EC2Instance]
    /// TerminateInstances for `ids` (never empty).
    func terminateInstances(ids: [String]) async throws
}
