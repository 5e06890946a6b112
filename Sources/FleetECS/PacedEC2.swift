import AWSClient

/// An ``EC2API`` that waits for its turn in an ``ECSRequestPacer`` before each call: one token
/// of the call's request bucket, and for RunInstances and TerminateInstances one token of the
/// resource bucket per instance.
struct PacedEC2: EC2API {
    let base: any EC2API
    let pacer: ECSRequestPacer

    func describeInstances(ids: [String]) async throws -> [EC2Instance] {
        try await pacer.admit("DescribeInstances")
        return try await base.describeInstances(ids: ids)
    }

    func describeInstances(filters: [EC2Filter]) async throws -> [EC2Instance] {
        try await pacer.admit("DescribeInstances")
        return try await base.describeInstances(filters: filters)
    }

    func describeNetworkInterfaces(ids: [String]) async throws -> [EC2NetworkInterface] {
        try await pacer.admit("DescribeNetworkInterfaces")
        return try await base.describeNetworkInterfaces(ids: ids)
    }

    func runInstances(_ request: EC2RunInstancesRequest) async throws -> [EC2Instance] {
        // EC2 takes the resource tokens of the most instances the call may start.
        try await pacer.admit("RunInstances", instances: request.maxCount)
        return try await base.runInstances(request)
    }

    func terminateInstances(ids: [String]) async throws {
        try await pacer.admit("TerminateInstances", instances: ids.count)
        try await base.terminateInstances(ids: ids)
    }
}
