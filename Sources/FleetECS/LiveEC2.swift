import AWSClient

/// ``EC2API`` over gamefleet's own EC2 client.
public struct LiveEC2: EC2API {
    /// The client calls go through.
    public let client: EC2Client

    /// Uses `client`.
    public init(client: EC2Client) {
        self.client = client
    }

    public func describeInstances(ids: [String]) async throws -> [EC2Instance] {
        try await client.describeInstances(ids: ids)
    }

    public func describeInstances(filters: [EC2Filter]) async throws -> [EC2Instance] {
        try await client.describeInstances(filters: filters)
    }

    public func describeNetworkInterfaces(ids: [String]) async throws -> [EC2NetworkInterface] {
        try await client.describeNetworkInterfaces(ids: ids)
    }

    public func runInstances(_ request: EC2RunInstancesRequest) async throws -> [EC2Instance] {
        try await client.runInstances(request)
    }

    public func terminateInstances(ids: [String]) async throws {
        _ = try await client.terminateInstances(ids: ids)
    }
}
