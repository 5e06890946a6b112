/// A condition on a write: the `ConditionExpression` with the `ExpressionAttributeNames`
/// (`#name` placeholders) and `ExpressionAttributeValues` (`:value` placeholders) it uses.
///
/// E.g. `DynamoDBCondition("#v = :v", names: ["#v": "version"], values: [":v": .string("abc")])`.
/// Names and values of the update expression of an UpdateItem go into the same maps.
public struct DynamoDBCondition: Sendable, Equatable {
    /// The expression, e.g. `attribute_not_exists(#k) OR #v = :v`.
    public var expression: String
    /// Placeholder names to attribute names.
    public var names: [String: String]
    /// Placeholder values.
    public var values: [String: DynamoDBValue]

    /// Creates a condition.
    public init(_ expression: String, names: [String: String] = [:], values: [String: DynamoDBValue] = [:]) {
        self.expression = expression
        self.names = names
        self.values = values
    }
}
