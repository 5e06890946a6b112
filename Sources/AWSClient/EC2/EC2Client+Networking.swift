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
