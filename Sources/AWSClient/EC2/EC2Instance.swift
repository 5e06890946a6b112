import Foundation
import Timestamps

/// An EC2 instance as DescribeInstances and RunInstances report it.
public struct EC2Instance: Sendable, Hashable, Codable {
    /// The id, e.g. `i-0123456789abcdef0`.
    public var instanceID: String
    /// The state name: `pending`, `running`, `shutting-down`, `terminated`, `stopping` or `stopped`.
    public var state: String?
    /// The private IPv4 address, once assigned.
    public var privateIPAddress: String?
    /// The public IPv4 address, if it has one.
    public var publicIPAddress: String?
    /// When it was launched.
    public var launchTime: Date?
    /// Its tags.
    public var tags: [EC2Tag]
    /// The instance type, e.g. `c6i.large`.
    public var instanceType: String?
    /// The image it was launched from.
    public var imageID: String?
    /// Its subnet.
    public var subnetID: String?

    /// Creates an instance record.
    public init(
        instanceID: String,
        state: String? = nil,
        privateIPAddress: String? = nil,
        publicIPAddress: String? = nil,
        launchTime: Date? = nil,
        tags: [EC2Tag] = [],
        instanceType: String? = nil,
        imageID: String? = nil,
        subnetID: String? = nil
    ) {
        self.instanceID = instanceID
        self.state = state
        self.privateIPAddress = privateIPAddress
        self.publicIPAddress = publicIPAddress
        self.launchTime = launchTime
        self.tags = tags
        self.instanceType = instanceType
        self.imageID = imageID
        self.subnetID = subnetID
    }

    /// Reads one `item` of an `instancesSet`; `nil` when it has no `instanceId`.
    init?(_ item: XMLTree) {
        guard let id = item.string("instanceId") else { return nil }
        self.init(
            instanceID: id,
            state: item.string("instanceState", "name"),
            privateIPAddress: item.string("privateIpAddress"),
            publicIPAddress: item.string("ipAddress"),
            launchTime: item.string("launchTime").flatMap(RFC3339Time.date(from:)),
            tags: EC2Tag.tags(in: item.child("tagSet")),
            instanceType: item.string("instanceType"),
            imageID: item.string("imageId"),
            subnetID: item.string("subnetId")
        )
    }

    /// The value of tag `key`, or `nil`.
    public func tag(_ key: String) -> String? {
        tags.first { $0.key == key }?.value
    }
}
