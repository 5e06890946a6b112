/// Something attached to a task; for gamefleet, the elastic network interface of an awsvpc
/// task, whose `details` hold `networkInterfaceId` and `privateIPv4Address`.
public struct ECSAttachment: Codable, Sendable, Hashable {
    /// The attachment id.
    public var id: String?
    /// The kind, e.g. `ElasticNetworkInterface`.
    public var type: String?
    /// `PRECREATED`, `CREATED`, `ATTACHING`, `ATTACHED`, `DETACHING`, `DETACHED`, `DELETED` or `FAILED`.
    public var status: String?
    /// Name/value details, e.g. `subnetId`, `networkInterfaceId`, `privateIPv4Address`.
    public var details: [ECSKeyValuePair]

    /// Creates an attachment record.
    public init(id: String? = nil, type: String? = nil, status: String? = nil, details: [ECSKeyValuePair] = []) {
        self.id = id
        self.type = type
        self.status = status
        self.details = details
    }

    enum CodingKeys: String, CodingKey { case id, type, status, details }

    /// Reads an attachment; absent details read as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        details = try container.list(.details)
    }

    /// The value of detail `name`, or `nil`.
    public func detail(_ name: String) -> String? {
        details.first { $0.name == name }?.value
    }
}
