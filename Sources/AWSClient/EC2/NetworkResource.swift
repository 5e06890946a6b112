/// The network resources a fleet names by id (`ecs.subnets`, `ecs.securityGroups`), with how
/// EC2's Query API lists them.
public enum NetworkResource: String, Sendable, CaseIterable {
    case subnet
    case securityGroup

    var operation: String { self == .subnet ? "DescribeSubnets" : "DescribeSecurityGroups" }
    var filter: String { self == .subnet ? "subnet-id" : "group-id" }
    var setElement: String { self == .subnet ? "subnetSet" : "securityGroupInfo" }
    var idElement: String { self == .subnet ? "subnetId" : "groupId" }
}
