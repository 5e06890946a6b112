import AWSClient
import FleetCore
import Foundation

/// The demand history (``SeasonalProfile``) of an ECS fleet with `ha`, kept as one more item of the
/// lease table, so the bursts a fleet learned survive a restart and a change of leader: the new
/// leader loads it at its first pass as leader (``Reconciler``).
///
/// | attribute | type | value |
/// |---|---|---|
/// | `fleet` | S | `<fleet>#demand` (`#` is never in a fleet name, so no fleet's lease shares the key) |
/// | `profile` | S | the profile's JSON (``SeasonalProfile/storedJSON()``), a few kilobytes at most |
/// | `savedAt` | N | wall-clock time of the save, epoch seconds (for people) |
///
/// Only the leader saves (at most once a minute), with a plain PutItem: a leader that lost its lease
/// mid-save can only write a profile as recent as the new leader's first one, which replaces it.
/// IAM: the lease statement's `dynamodb:LeadingKeys` lists this key beside the fleet's own.
public struct DynamoDBDemandHistoryStore: DemandHistoryStore {
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

    /// The item's key: the fleet name and `#demand`.
    public static func key(fleet: String) -> String { fleet + "#demand" }

    var key: DynamoDBClient.Item { [DynamoDBLeaseStore.keyAttribute: .string(Self.key(fleet: fleet))] }

    public var location: String { "DynamoDB table \(table), item \(Self.key(fleet: fleet))" }

    public func load() async throws -> SeasonalProfile? {
        guard let item = try await client.getItem(table: table, key: key), let text = item["profile"]?.stringValue else { return nil }
        return try SeasonalProfile.stored(Data(text.utf8))
    }

    public func save(_ profile: SeasonalProfile) async throws {
        let json = String(decoding: try profile.storedJSON(), as: UTF8.self)
        try await client.putItem(table: table, item: key.merging([
            "profile": .string(json), "savedAt": .integer(Int64(now().timeIntervalSince1970)),
        ]) { a, _ in a })
    }
}
