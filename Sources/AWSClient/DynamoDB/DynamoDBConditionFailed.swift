/// A conditional write (PutItem, UpdateItem, DeleteItem with a `ConditionExpression`) was
/// refused because its condition did not hold: DynamoDB's `ConditionalCheckFailedException`.
///
/// It is an answer, not a fault: the item is not what the writer expected (someone else wrote
/// it). It is never retried.
public struct DynamoDBConditionFailed: Error, Sendable, Equatable, CustomStringConvertible {
    /// DynamoDB's error code for it.
    public static let code = "ConditionalCheckFailedException"
    /// The operation, e.g. `PutItem`.
    public var operation: String
    /// DynamoDB's message; may be empty.
    public var message: String

    /// Creates the error.
    public init(operation: String, message: String = "") {
        self.operation = operation
        self.message = message
    }

    /// E.g. `dynamodb PutItem: the condition did not hold (The conditional request failed)`.
    public var description: String {
        "dynamodb \(operation): the condition did not hold" + (message.isEmpty ? "" : " (\(message))")
    }
}
