extension EC2Client {
    /// DescribeNetworkInterfaces for `ids`, following `nextToken`. An empty `ids` returns
    /// nothing without calling EC2.
    public func describeNetworkInterfaces(ids: [String]) async throws -> [EC2NetworkInterface] {
        guard !ids.isEmpty else { return [] }
        var interfaces: [EC2NetworkInterface] = []
        var token: String?
        var seenTokens: Set<String> = []
        repeat {
            var form = form("DescribeNetworkInterfaces")
            form.add(list: "NetworkInterfaceId", ids)
            form.add("NextToken", token)
            let root = try await perform(form)
            interfaces += (root.child("networkInterfaceSet")?.children(named: "item") ?? []).compactMap(EC2NetworkInterface.init)
            token = root.string("nextToken")
            if let token, !seenTokens.insert(token).inserted {
                throw malformed("DescribeNetworkInterfaces", "nextToken repeats an earlier page")
            }
        } while token != nil
        return interfaces
    }

    /// The ids of `ids` that exist, among subnets (`DescribeSubnets`) or security groups
    /// (`DescribeSecurityGroups`). Asked with an id filter, not with the ids themselves: by id, EC2
    /// fails the whole call on the first unknown one, and a check wants to name every one missing.
    public func existing(_ kind: NetworkResource, ids: [String]) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        var found: Set<String> = []
        var token: String?
        var seenTokens: Set<String> = []
        repeat {
            var form = form(kind.operation)
            form.add("Filter.1.Name", kind.filter)
            form.add(list: "Filter.1.Value", ids)
            form.add("NextToken", token)
            let root = try await perform(form)
            for item in root.child(kind.setElement)?.children(named: "item") ?? [] {
                if let id = item.string(kind.idElement) { found.insert(id) }
            }
            token = root.string("nextToken")
            if let token, !seenTokens.insert(token).inserted {
                throw malformed(kind.operation, "nextToken repeats an earlier page")
            }
        } while token != nil
        return found
    }

    /// CreateSecurityGroup `name` in `vpcID`; returns its id. For tests.
    public func createSecurityGroup(name: String, description: String, vpcID: String) async throws -> String {
        var form = form("CreateSecurityGroup")
        form.add("GroupName", name)
        form.add("GroupDescription", description)
        form.add("VpcId", vpcID)
        let root = try await perform(form)
        guard let id = root.string("groupId") else { throw malformed("CreateSecurityGroup", "no groupId in the answer") }
        return id
    }

    /// CreateVpc with `cidrBlock` (e.g. `10.0.0.0/16`); returns the new VPC's id. For tests.
    public func createVpc(cidrBlock: String) async throws -> String {
        var form = form("CreateVpc")
        form.add("CidrBlock", cidrBlock)
        let root = try await perform(form)
        guard let id = root.string("vpc", "vpcId") else { throw malformed("CreateVpc", "no vpc/vpcId in the answer") }
        return id
    }

    /// CreateSubnet in `vpcID` with `cidrBlock`; returns the new subnet's id. For tests.
    public func createSubnet(vpcID: String, cidrBlock: String, availabilityZone: String? = nil) async throws -> String {
        var form = form("CreateSubnet")
        form.add("VpcId", vpcID)
        form.add("CidrBlock", cidrBlock)
        form.add("AvailabilityZone", availabilityZone)
        let root = try await perform(form)
        guard let id = root.string("subnet", "subnetId") else { throw malformed("CreateSubnet", "no subnet/subnetId in the answer") }
        return id
    }
}
