extension DynamoDBClient {
    private struct TableNameInput: Encodable {
        var TableName: String
    }

    private struct DescribeTableOutput: Decodable {
        var Table: DynamoDBTable
    }

    private struct CreateTableInput: Encodable {
        var TableName: String
        var KeySchema: [DynamoDBTable.KeyElement]
        var AttributeDefinitions: [DynamoDBTable.AttributeDefinition]
        var BillingMode: String
    }

    private struct CreateTableOutput: Decodable {
        var TableDescription: DynamoDBTable
    }

    /// DescribeTable: the table's key schema and status, or `nil` when there is no such table
    /// (`ResourceNotFoundException`).
    public func describeTable(_ name: String) async throws -> DynamoDBTable? {
        do {
            return try await perform("DescribeTable", TableNameInput(TableName: name), as: DescribeTableOutput.self).Table
        } catch let error as AWSServiceError where error.code == "ResourceNotFoundException" {
            return nil
        }
    }

    /// CreateTable: an on-demand (`PAY_PER_REQUEST`) table with a string hash key named
    /// `hashKey`. Used by tests and setup; gamefleet itself never creates tables.
    @discardableResult
    public func createTable(_ name: String, hashKey: String, hashKeyType: String = "S") async throws -> DynamoDBTable {
        let input = CreateTableInput(
            TableName: name,
            KeySchema: [.init(AttributeName: hashKey, KeyType: "HASH")],
            AttributeDefinitions: [.init(AttributeName: hashKey, AttributeType: hashKeyType)],
            BillingMode: "PAY_PER_REQUEST")
        return try await perform("CreateTable", input, as: CreateTableOutput.self).TableDescription
    }

    /// DeleteTable: removes the table. Used by tests.
    public func deleteTable(_ name: String) async throws {
        _ = try await perform("DeleteTable", TableNameInput(TableName: name), as: CreateTableOutput.self)
    }
}
