import AWSClient
import FleetCore
import Foundation
import Logging

/// The lease of one fleet as an item of a DynamoDB table (`ha.table`), keyed by the fleet name
/// (string hash key `fleet`), so fleets share a table:
///
/// | attribute | type | value |
/// |---|---|---|
/// | `fleet` | S | the fleet name (the key) |
/// | `holder` | S | the leading replica's id |
/// | `address` | S | its admin `host:port` |
/// | `version` | S | random, new at every renewal |
/// | `leaseDurationMs` | N | the holder's lease duration |
/// | `writtenAt` | N | the holder's wall-clock time of the write, epoch seconds (for people only; never compared) |
///
/// Writes are PutItems conditional on `version` (or on there being no item), deletes too;
/// reads are strongly consistent GetItems.
public struct DynamoDBLeaseStore: LeaseStore {
    /// The hash key's attribute name.
    public static let keyAttribute = "fleet"

    let client: DynamoDBClient
    public let table: String
    public let fleet: String
    let now: @Sendable () -> Date

    public init(client: DynamoDBClient, table: String, fleet: String, now: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.table = table
        self.fleet = fleet
        self.now = now
    }

    var key: DynamoDBClient.Item { [Self.keyAttribute: .string(fleet)] }

    public func read() async throws -> LeaseRecord? {
        guard let item = try await client.getItem(table: table, key: key) else { return nil }
        guard let holder = item["holder"]?.stringValue, let version = item["version"]?.stringValue else {
            // An item gamefleet did not write (or a damaged one): it counts as a lease nobody
            // renews, so it is taken over after a lease duration, conditional on its version.
            // The empty version stands for "damaged" in ``condition(_:)``.
            return LeaseRecord(holder: item["holder"]?.stringValue ?? "?", address: item["address"]?.stringValue ?? "?",
                               version: item["version"]?.stringValue ?? "", leaseDurationMs: 0)
        }
        return LeaseRecord(holder: holder, address: item["address"]?.stringValue ?? "", version: version,
                           leaseDurationMs: item["leaseDurationMs"]?.integerValue ?? 0)
    }

    public func write(_ record: LeaseRecord, expecting expected: String?) async throws {
        let item = key.merging([
            "holder": .string(record.holder), "address": .string(record.address), "version": .string(record.version),
            "leaseDurationMs": .integer(record.leaseDurationMs), "writtenAt": .integer(Int64(now().timeIntervalSince1970)),
        ]) { a, _ in a }
        do {
            try await client.putItem(table: table, item: item, condition: Self.condition(expected))
        } catch is DynamoDBConditionFailed {
            throw LeaseConflict()
        }
    }

    public func delete(version: String) async throws {
        do {
            try await client.deleteItem(table: table, key: key, condition: Self.condition(version))
        } catch is DynamoDBConditionFailed {
            throw LeaseConflict()
        }
    }

    /// `attribute_not_exists(fleet)` when nothing is expected, else `version = :expected`.
    static func condition(_ expected: String?) -> DynamoDBCondition {
        guard let expected else { return DynamoDBCondition("attribute_not_exists(#k)", names: ["#k": keyAttribute]) }
        guard !expected.isEmpty else {
            // A damaged item (``read()`` gives it the empty version): still there and still damaged.
            // Comparing with "" would never match a missing or non-string version, and the fleet
            // would stay without a leader.
            return DynamoDBCondition(
                "attribute_exists(#k) AND (attribute_not_exists(#v) OR NOT attribute_type(#v, :s))",
                names: ["#k": keyAttribute, "#v": "version"], values: [":s": .string("S")])
        }
        return DynamoDBCondition("#v = :v", names: ["#v": "version"], values: [":v": .string(expected)])
    }

    /// What is wrong with the table for holding leases, or nil when it is fine: it must exist and
    /// have exactly a string hash key named `fleet`. The message names the table and gives the
    /// command that makes a right one.
    /// - Throws: when DynamoDB cannot be asked at all (credentials, network, permissions).
    public func tableProblem() async throws -> String? {
        let create = Self.createCommand(table: table, region: nil)
        guard let description = try await client.describeTable(table) else {
            return "the DynamoDB table \(table) (ha.table) does not exist; create it with: \(create)"
        }
        guard let hash = description.hashKey, hash.name == Self.keyAttribute, hash.type == "S", !description.hasRangeKey else {
            let schema = description.KeySchema.map { element in
                "\(element.AttributeName) (\(element.KeyType), \(description.AttributeDefinitions.first { $0.AttributeName == element.AttributeName }?.AttributeType ?? "?"))"
            }.joined(separator: ", ")
            return "the DynamoDB table \(table) (ha.table) has the key \(schema); gamefleet needs exactly a string hash key named \(Self.keyAttribute). Use another table, or create one with: \(create)"
        }
        return nil
    }

    /// The fleet's demand history, kept in the same table beside the lease (same client).
    public var demandHistory: DynamoDBDemandHistoryStore {
        DynamoDBDemandHistoryStore(client: client, table: table, fleet: fleet, now: now)
    }

    /// The AWS CLI command that creates a lease table.
    public static func createCommand(table: String, region: String?) -> String {
        "aws dynamodb create-table --table-name \(table) --attribute-definitions AttributeName=\(keyAttribute),AttributeType=S --key-schema AttributeName=\(keyAttribute),KeyType=HASH --billing-mode PAY_PER_REQUEST" + (region.map { " --region \($0)" } ?? "")
    }

    /// A store talking to DynamoDB over the same credential chain, retry mode and endpoint rules
    /// as the ECS provider: `ha.endpoint`, else `ecs.endpoint`, else `AWS_ENDPOINT_URL_DYNAMODB`,
    /// `AWS_ENDPOINT_URL`, the region's. Each attempt is bounded by a third of the lease, so a
    /// renewal never hangs past the fence. `close` shuts its HTTP client.
    public static func live(
        spec: FleetSpec, ha: HASpec, environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger
    ) throws -> (store: DynamoDBLeaseStore, close: @Sendable () async -> Void) {
        let region = spec.ecs?.region ?? "us-east-1"
        let endpoint = ha.endpoint ?? spec.ecs?.endpoint
        _ = try AWSEndpoint.resolve(for: .dynamoDB, region: region, explicit: endpoint, environment: environment)
        let transport = AsyncHTTPClientTransport()
        let configuration = AWSClientConfiguration(
            region: region,
            credentials: CachedCredentialProvider.standard(environment: environment, transport: transport, logger: logger),
            transport: transport, environment: environment,
            retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(100), maxBackoff: .seconds(1)),
            timeout: ha.renewInterval, logger: logger)
        let client = try DynamoDBClient(configuration: configuration, endpoint: endpoint)
        return (DynamoDBLeaseStore(client: client, table: ha.table, fleet: spec.name), { try? await transport.shutdown() })
    }
}
