extension DynamoDBClient {
    /// An item: attribute names to values.
    public typealias Item = [String: DynamoDBValue]

    private struct GetItemInput: Encodable {
        var TableName: String
        var Key: Item
        var ConsistentRead: Bool
    }

    private struct GetItemOutput: Decodable {
        var Item: Item?
    }

    private struct PutItemInput: Encodable {
        var TableName: String
        var Item: Item
        var ConditionExpression: String?
        var ExpressionAttributeNames: [String: String]?
        var ExpressionAttributeValues: Item?
    }

    private struct UpdateItemInput: Encodable {
        var TableName: String
        var Key: Item
        var UpdateExpression: String
        var ConditionExpression: String?
        var ExpressionAttributeNames: [String: String]?
        var ExpressionAttributeValues: Item?
        var ReturnValues: String
    }

    private struct DeleteItemInput: Encodable {
        var TableName: String
        var Key: Item
        var ConditionExpression: String?
        var ExpressionAttributeNames: [String: String]?
        var ExpressionAttributeValues: Item?
    }

    private struct AttributesOutput: Decodable {
        var Attributes: Item?
    }

    /// GetItem: the item with `key` in `table`, or `nil` when there is none.
    /// - Parameter consistentRead: read the latest write (true by default: a lease must not be
    ///   judged on a stale copy).
    public func getItem(table: String, key: Item, consistentRead: Bool = true) async throws -> Item? {
        try await perform("GetItem", GetItemInput(TableName: table, Key: key, ConsistentRead: consistentRead), as: GetItemOutput.self).Item
    }

    /// PutItem: writes `item` (replacing any item with its key) when `condition` holds.
    /// - Throws: ``DynamoDBConditionFailed`` when it does not.
    public func putItem(table: String, item: Item, condition: DynamoDBCondition? = nil) async throws {
        let input = PutItemInput(
            TableName: table, Item: item, ConditionExpression: condition?.expression,
            ExpressionAttributeNames: Self.nonEmpty(condition?.names), ExpressionAttributeValues: Self.nonEmpty(condition?.values))
        _ = try await perform("PutItem", input, as: AttributesOutput.self)
    }

    /// UpdateItem: applies `update` (an `UpdateExpression` such as `SET #v = :new`, its
    /// placeholders in `names` and `values`) to the item with `key` when `condition` holds, and
    /// returns the item as it is afterwards (`ReturnValues: ALL_NEW`).
    /// - Throws: ``DynamoDBConditionFailed`` when the condition does not hold.
    public func updateItem(
        table: String, key: Item, update: String, names: [String: String] = [:], values: Item = [:], condition: String? = nil
    ) async throws -> Item {
        let input = UpdateItemInput(
            TableName: table, Key: key, UpdateExpression: update, ConditionExpression: condition,
            ExpressionAttributeNames: Self.nonEmpty(names), ExpressionAttributeValues: Self.nonEmpty(values), ReturnValues: "ALL_NEW")
        return try await perform("UpdateItem", input, as: AttributesOutput.self).Attributes ?? [:]
    }

    /// DeleteItem: deletes the item with `key` when `condition` holds (deleting an item that does
    /// not exist succeeds when there is no condition).
    /// - Throws: ``DynamoDBConditionFailed`` when the condition does not hold.
    public func deleteItem(table: String, key: Item, condition: DynamoDBCondition? = nil) async throws {
        let input = DeleteItemInput(
            TableName: table, Key: key, ConditionExpression: condition?.expression,
            ExpressionAttributeNames: Self.nonEmpty(condition?.names), ExpressionAttributeValues: Self.nonEmpty(condition?.values))
        _ = try await perform("DeleteItem", input, as: AttributesOutput.self)
    }

    /// `nil` for an absent or empty map: DynamoDB refuses empty expression maps.
    private static func nonEmpty<Value>(_ map: [String: Value]?) -> [String: Value]? {
        guard let map, !map.isEmpty else { return nil }
        return map
    }
}
