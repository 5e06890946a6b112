import AWSClient

/// An ``EC2API`` that counts every call in an ``AWSCallCounter`` and passes it on.
struct CountingEC2: EC2API {
    let base: any EC2API
    let counter: AWSCallCounter

    func describeInstances(ids: [String]) async throws -> [EC2Instance] {
        try await counter.count("DescribeInstances") { try await base.describeInstances(ids: ids) }
    }

    func describeInstances(filters: [EC2Filter]) async throws -> [EC2Instance] {
        try await counter.count("DescribeInstances") { try await base.describeInstances(filters: filters) }
    }

    func describeNetworkInterfaces(ids: [String]) async throws -> [EC2NetworkInterface] {
        try await counter.count("DescribeNetworkInterfaces") { try await base.describeNetworkInterfaces(ids: ids) }
    }

    func runInstances(_ request: EC2RunInstancesRequest) async throws -> [EC2Instance] {
        try await counter.count("RunInstances") { try await base.runInstances(request) }
    }

    func terminateInstances(ids: [String]) async throws {
        try await counter.count("TerminateInstances") { try await base.terminateInstances(ids: ids) }
    }
}
