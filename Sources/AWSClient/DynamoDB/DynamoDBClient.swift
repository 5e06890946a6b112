import Foundation

/// A client for Amazon DynamoDB (JSON 1.0 protocol): every call is a signed `POST /` with
/// `Content-Type: application/x-amz-json-1.0`, an `X-Amz-Target: DynamoDB_20120810.<Operation>`
/// header and the request as a JSON object.
///
/// It shares the transport, signer, retry mode, credential chain and error typing of the ECS
/// client (through ``AWSJSONCaller``). The item operations gamefleet uses are in
/// `DynamoDBClient+Items.swift`, the table ones in `DynamoDBClient+Tables.swift`; a conditional
/// write whose condition does not hold throws ``DynamoDBConditionFailed``.
public struct DynamoDBClient: Sendable {
    /// The target prefix of every DynamoDB operation.
    public static let targetPrefix = "DynamoDB_20120810"
    /// The JSON 1.0 content type.
    public static let contentType = "application/x-amz-json-1.0"

    let json: AWSJSONCaller

    /// The endpoint calls go to.
    public var endpoint: AWSEndpoint { json.endpoint }

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: region, credentials, transport and the rest.
    ///   - endpoint: an explicit endpoint URL (fleet.yaml's `ha.endpoint`, else `ecs.endpoint`),
    ///     which beats `AWS_ENDPOINT_URL_DYNAMODB` and `AWS_ENDPOINT_URL`; `nil` to use those or
    ///     the default `https://dynamodb.REGION.amazonaws.com`.
    /// - Throws: ``AWSEndpoint/InvalidURL`` when the chosen endpoint is not a usable URL.
    public init(configuration: AWSClientConfiguration, endpoint: String? = nil) throws {
        let resolved = try AWSEndpoint.resolve(
            for: .dynamoDB, region: configuration.region, explicit: endpoint, environment: configuration.environment)
        self.json = AWSJSONCaller(
            service: .dynamoDB, endpoint: resolved, configuration: configuration, targetPrefix: Self.targetPrefix, contentType: Self.contentType)
    }

    /// Calls `operation` with `input` as its JSON body and decodes the answer as `Output`.
    /// - Throws: ``DynamoDBConditionFailed`` when DynamoDB answered
    ///   `ConditionalCheckFailedException`; otherwise ``AWSServiceError``, ``AWSCallError`` or
    ///   ``CredentialsError`` as the ECS client does.
    public func perform<Output: Decodable>(_ operation: String, _ input: some Encodable, as output: Output.Type = Output.self) async throws -> Output {
        do {
            return try await json.perform(operation, input, as: output)
        } catch let error as AWSServiceError where error.code == DynamoDBConditionFailed.code {
            throw DynamoDBConditionFailed(operation: operation, message: error.message)
        }
    }
}
