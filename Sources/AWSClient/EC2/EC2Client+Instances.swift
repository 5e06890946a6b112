extension EC2Client {
    /// DescribeInstances for `ids`, following `nextToken` through every page. An empty `ids`
    /// returns no instances without calling EC2 (which would otherwise describe them all).
    /// Ids EC2 does not know fail the whole call with `InvalidInstanceID.NotFound`.
    public func describeInstances(ids: [String]) async throws -> [EC2Instance] {
        guard !ids.isEmpty else { return [] }
        return try await describeInstancePages { $0.add(list: "InstanceId", ids) }
    }

    /// DescribeInstances for every instance matching all of `filters` (never empty: without a
    /// filter EC2 would describe the whole account), 1,000 a page, following `nextToken`.
    /// - Throws: ``AWSCallError`` with ``AWSCallError/Reason/invalidRequest(_:)`` before sending
    ///   when `filters` is empty or a filter has no value.
    public func describeInstances(filters: [EC2Filter]) async throws -> [EC2Instance] {
        guard !filters.isEmpty, filters.allSatisfy({ !$0.values.isEmpty }) else {
            throw invalid("DescribeInstances", "need at least one filter, each with a value")
        }
        return try await describeInstancePages { form in
            for (index, filter) in filters.enumerated() {
                form.add("Filter.\(index + 1).Name", filter.name)
                form.add(list: "Filter.\(index + 1).Value", filter.values)
            }
            form.add("MaxResults", "1000")
        }
    }

    /// DescribeInstances with what `select` adds to each page's request, every instance of every
    /// reservation, following `nextToken` until EC2 gives none (a token that repeats is refused).
    private func describeInstancePages(_ select: (inout QueryForm) -> Void) async throws -> [EC2Instance] {
        var instances: [EC2Instance] = []
        var token: String?
        var seenTokens: Set<String> = []
        repeat {
            var form = form("DescribeInstances")
            select(&form)
            form.add("NextToken", token)
            let root = try await perform(form)
            for reservation in root.child("reservationSet")?.children(named: "item") ?? [] {
                instances += (reservation.child("instancesSet")?.children(named: "item") ?? []).compactMap(EC2Instance.init)
            }
            token = root.string("nextToken")
            if let token, !seenTokens.insert(token).inserted {
                throw malformed("DescribeInstances", "nextToken repeats an earlier page")
            }
        } while token != nil
        return instances
    }

    /// RunInstances: launches between `minCount` and `maxCount` instances and returns them as
    /// EC2 first reports them (usually `pending`, maybe without addresses yet).
    /// - Throws: ``AWSCallError`` with ``AWSCallError/Reason/invalidRequest(_:)`` before
    ///   sending when the counts are not 1 ≤ min ≤ max, or a launch template names neither an id
    ///   nor a name (or both).
    public func runInstances(_ request: EC2RunInstancesRequest) async throws -> [EC2Instance] {
        guard request.minCount >= 1, request.minCount <= request.maxCount else {
            throw invalid("RunInstances", "need 1 ≤ MinCount ≤ MaxCount, not \(request.minCount) and \(request.maxCount)")
        }
        if let template = request.launchTemplate, (template.id == nil) == (template.name == nil) {
            throw invalid("RunInstances", "a launch template needs exactly one of id and name")
        }
        var form = form("RunInstances")
        request.addParameters(to: &form)
        let root = try await perform(form)
        return (root.child("instancesSet")?.children(named: "item") ?? []).compactMap(EC2Instance.init)
    }

    /// TerminateInstances: asks EC2 to terminate `ids` and returns each one's state change.
    /// An empty `ids` does nothing.
    public func terminateInstances(ids: [String]) async throws -> [EC2InstanceStateChange] {
        guard !ids.isEmpty else { return [] }
        var form = form("TerminateInstances")
        form.add(list: "InstanceId", ids)
        let root = try await perform(form)
        return (root.child("instancesSet")?.children(named: "item") ?? []).compactMap { item in
            item.string("instanceId").map {
                EC2InstanceStateChange(
                    instanceID: $0,
                    previousState: item.string("previousState", "name"),
                    currentState: item.string("currentState", "name")
                )
            }
        }
    }
}
