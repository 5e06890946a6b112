/// A tag on an ECS resource.
public struct ECSTag: Codable, Sendable, Hashable {
    /// The tag key, e.g. `gamefleet:fleet`.
    public var key: String
    /// The value; ECS allows an empty one.
    public var value: String

    /// Creates a tag.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    enum CodingKeys: String, CodingKey { case key, value }

    /// Reads a tag; a missing value reads as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decode(String.self, forKey: .key)
        value = try container.decodeIfPresent(String.self, forKey: .value) ?? ""
    }
}
