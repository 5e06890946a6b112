import AWSClient
import FleetECS
import Foundation
import Synchronization

/// EC2 in memory for unit tests: instances and network interfaces the test puts in, RunInstances
/// honouring client tokens, and injectable failures.
final class InMemoryEC2: EC2API {
    struct State {
        var instances: [String: EC2Instance] = [:]
        var interfaces: [String: EC2NetworkInterface] = [:]
        var tokens: [String: [String]] = [:]
        var runRequests: [EC2RunInstancesRequest] = []
        var terminated: [String] = []
        var failures: [String: [any Error]] = [:]
        var next = 0
    }

    let state = Mutex(State())

    func update<T>(_ change: (inout State) throws -> T) rethrows -> T { try state.withLock { state throws -> T in try change(&state) } }

    func add(_ instance: EC2Instance) { update { $0.instances[instance.instanceID] = instance } }
    func add(_ interface: EC2NetworkInterface) { update { $0.interfaces[interface.networkInterfaceID] = interface } }
    var terminated: [String] { update { $0.terminated } }
    var runRequests: [EC2RunInstancesRequest] { update { $0.runRequests } }

    func failNext(_ operation: String, with error: any Error, times: Int = 1) {
        update { $0.failures[operation, default: []] += Array(repeating: error, count: times) }
    }

    private func check(_ operation: String) throws {
        try update { state in
            if var queued = state.failures[operation], !queued.isEmpty {
                let error = queued.removeFirst()
                state.failures[operation] = queued
                throw error
            }
        }
    }

    func describeInstances(ids: [String]) async throws -> [EC2Instance] {
        try check("DescribeInstances")
        return try update { state in
            try ids.map { id in
                guard let instance = state.instances[id] else {
                    throw AWSServiceError(service: "ec2", operation: "DescribeInstances", statusCode: 400, code: "InvalidInstanceID.NotFound", message: id)
                }
                return instance
            }
        }
    }

    /// Understands the filters the provider sends: `tag:KEY` and `instance-state-name`.
    func describeInstances(filters: [EC2Filter]) async throws -> [EC2Instance] {
        try check("DescribeInstances")
        return update { state in
            state.instances.values.filter { instance in
                filters.allSatisfy { filter in
                    if filter.name.hasPrefix("tag:") { return instance.tag(String(filter.name.dropFirst(4))).map(filter.values.contains) ?? false }
                    if filter.name == "instance-state-name" { return filter.values.contains(instance.state ?? "") }
                    return false
                }
            }.sorted { $0.instanceID < $1.instanceID }
        }
    }

    func describeNetworkInterfaces(ids: [String]) async throws -> [EC2NetworkInterface] {
        try check("DescribeNetworkInterfaces")
        return update { state in ids.compactMap { state.interfaces[$0] } }
    }

    func runInstances(_ request: EC2RunInstancesRequest) async throws -> [EC2Instance] {
        try check("RunInstances")
        return update { state in
            state.runRequests.append(request)
            if let token = request.clientToken, let earlier = state.tokens[token] {
                return earlier.compactMap { state.instances[$0] }
            }
            var launched: [EC2Instance] = []
            for _ in 0..<request.maxCount {
                state.next += 1
                let instance = EC2Instance(
                    instanceID: String(format: "i-%017x", state.next), state: "pending",
                    privateIPAddress: "10.1.0.\(state.next)", publicIPAddress: "203.0.113.\(state.next)",
                    tags: request.tagSpecifications.flatMap(\.tags))
                state.instances[instance.instanceID] = instance
                launched.append(instance)
            }
            if let token = request.clientToken { state.tokens[token] = launched.map(\.instanceID) }
            return launched
        }
    }

    func terminateInstances(ids: [String]) async throws {
        try check("TerminateInstances")
        update { state in
            for id in ids {
                state.terminated.append(id)
                state.instances[id]?.state = "terminated"
            }
        }
    }
}
