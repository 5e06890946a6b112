/// What DescribeTable says of a table, as far as gamefleet checks it.
public struct DynamoDBTable: Sendable, Equatable, Decodable {
    /// One element of the key schema.
    public struct KeyElement: Sendable, Equatable, Codable {
        /// The attribute name.
        public var AttributeName: String
        /// `HASH` (partition key) or `RANGE` (sort key).
        public var KeyType: String

        /// Creates an element.
        public init(AttributeName: String, KeyType: String) {
            self.AttributeName = AttributeName
            self.KeyType = KeyType
        }
    }

    /// The type of one key attribute.
    public struct AttributeDefinition: Sendable, Equatable, Codable {
        /// The attribute name.
        public var AttributeName: String
        /// `S`, `N` or `B`.
        public var AttributeType: String

        /// Creates a definition.
        public init(AttributeName: String, AttributeType: String) {
            self.AttributeName = AttributeName
            self.AttributeType = AttributeType
        }
    }

    /// The table name.
    public var TableName: String
    /// E.g. `ACTIVE`, `CREATING`.
    public var TableStatus: String?
    /// The key schema.
    public var KeySchema: [KeyElement]
    /// The types of the key attributes.
    public var AttributeDefinitions: [AttributeDefinition]

    /// The hash (partition) key's attribute name and type, e.g. `("fleet", "S")`; `nil` when
    /// the schema has none.
    public var hashKey: (name: String, type: String?)? {
        guard let element = KeySchema.first(where: { $0.KeyType == "HASH" }) else { return nil }
        return (element.AttributeName, AttributeDefinitions.first { $0.AttributeName == element.AttributeName }?.AttributeType)
    }

    /// True when the table has a sort (range) key too.
    public var hasRangeKey: Bool { KeySchema.contains { $0.KeyType == "RANGE" } }
}
