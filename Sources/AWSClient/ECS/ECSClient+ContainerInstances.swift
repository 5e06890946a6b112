extension ECSClient {
    private struct DescribeContainerInstancesInput: Encodable {
        var cluster: String?
        var containerInstances: [String]
    }

    private struct RegisterContainerInstanceInput: Encodable {
        var cluster: String?
        var instanceIdentityDocument: String
        var instanceIdentityDocumentSignature: String?
    }

    private struct RegisterContainerInstanceOutput: Decodable {
        var containerInstance: ECSContainerInstance
    }

    /// DescribeContainerInstances for `containerInstances` (ARNs or ids), in batches of
    /// ``describeBatchSize``. An empty list returns an empty result without calling ECS.
    public func describeContainerInstances(cluster: String?, containerInstances: [String]) async throws -> ECSContainerInstancesResult {
        var result = ECSContainerInstancesResult()
        for start in stride(from: 0, to: containerInstances.count, by: Self.describeBatchSize) {
            let batch = Array(containerInstances[start..<min(start + Self.describeBatchSize, containerInstances.count)])
            let page = try await perform(
                "DescribeContainerInstances",
                DescribeContainerInstancesInput(cluster: cluster, containerInstances: batch),
                as: ECSContainerInstancesResult.self
            )
            result.containerInstances += page.containerInstances
            result.failures += page.failures
        }
        return result
    }

    /// RegisterContainerInstance: registers an EC2 instance in `cluster`, as the ECS agent does
    /// at boot. Used by tests against moto, where no agent runs.
    /// - Parameters:
    ///   - instanceIdentityDocument: the instance's identity document, a JSON text naming at
    ///     least its `instanceId` and `region`.
    ///   - signature: the document's signature (real ECS checks it; moto does not).
    public func registerContainerInstance(cluster: String?, instanceIdentityDocument: String, signature: String? = nil) async throws -> ECSContainerInstance {
        try await perform(
            "RegisterContainerInstance",
            RegisterContainerInstanceInput(cluster: cluster, instanceIdentityDocument: instanceIdentityDocument, instanceIdentityDocumentSignature: signature),
            as: RegisterContainerInstanceOutput.self
        ).containerInstance
    }
}
