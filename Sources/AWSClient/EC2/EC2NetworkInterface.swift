/// An elastic network interface as DescribeNetworkInterfaces reports it: how gamefleet finds
/// the addresses of awsvpc tasks.
public struct EC2NetworkInterface: Sendable, Hashable, Codable {
    /// The id, e.g. `eni-0123456789abcdef0`.
    public var networkInterfaceID: String
    /// Its primary private IPv4 address.
    public var privateIPAddress: String?
    /// The public IPv4 address associated with it, if any.
    public var publicIPAddress: String?
    /// `available`, `attaching`, `in-use`, `detaching`…
    public var status: String?
    /// Its subnet.
    public var subnetID: String?

    /// Creates an interface record.
    public init(networkInterfaceID: String, privateIPAddress: String? = nil, publicIPAddress: String? = nil, status: String? = nil, subnetID: String? = nil) {
        self.networkInterfaceID = networkInterfaceID
        self.privateIPAddress = privateIPAddress
        self.publicIPAddress = publicIPAddress
        self.status = status
        self.subnetID = subnetID
    }

    /// Reads one `item` of a `networkInterfaceSet`; `nil` when it has no id.
    init?(_ item: XMLTree) {
        guard let id = item.string("networkInterfaceId") else { return nil }
        self.init(
            networkInterfaceID: id,
            privateIPAddress: item.string("privateIpAddress"),
            publicIPAddress: item.string("association", "publicIp"),
            status: item.string("status"),
            subnetID: item.string("subnetId")
        )
    }
}
