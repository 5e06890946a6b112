/// A tag on an EC2 resource.
public struct EC2Tag: Sendable, Hashable, Codable {
    /// The key, e.g. `Name`.
    public var key: String
    /// The value; may be empty.
    public var value: String

    /// Creates a tag.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// The tags of a `tagSet` element, skipping items without a key.
    static func tags(in tagSet: XMLTree?) -> [EC2Tag] {
        (tagSet?.children(named: "item") ?? []).compactMap { item in
            item.string("key").map { EC2Tag(key: $0, value: item.string("value") ?? "") }
        }
    }
}
