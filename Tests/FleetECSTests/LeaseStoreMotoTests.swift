import AWSClient
import FleetCore
import FleetECS
import Foundation
import Testing

/// The DynamoDB lease store against moto: the conditional writes the election relies on.
@Suite("DynamoDB lease store (moto)", .serialized)
struct LeaseStoreMotoTests {
    @Test("Create only when absent; write only over the expected version; delete only at it; two fleets share a table")
    func conditionalSemantics() async throws {
        try await MotoWorld.with(instances: 1) { world in
            try await ServeHAMotoTests.createTable(world: world)
            let configuration = AWSClientConfiguration(
                region: MotoWorld.region, credentials: CachedCredentialProvider.standard(environment: Moto.environment, transport: world.transport),
                transport: world.transport)
            let client = try DynamoDBClient(configuration: configuration, endpoint: world.url)
            let arena = DynamoDBLeaseStore(client: client, table: ServeHAMotoTests.table, fleet: "arena")
            let chess = DynamoDBLeaseStore(client: client, table: ServeHAMotoTests.table, fleet: "chess")
            func record(_ holder: String, _ version: String) -> LeaseRecord {
                LeaseRecord(holder: holder, address: "127.0.0.1:8001", version: version, leaseDurationMs: 3000)
            }

            #expect(try await arena.tableProblem() == nil)
            #expect(try await arena.read() == nil)
            try await arena.write(record("a", "v1"), expecting: nil)
            await #expect(throws: LeaseConflict.self) { try await arena.write(record("b", "w1"), expecting: nil) }
            #expect(try await arena.read() == record("a", "v1"))
            try await arena.write(record("a", "v2"), expecting: "v1")
            await #expect(throws: LeaseConflict.self) { try await arena.write(record("b", "w2"), expecting: "v1") }
            try await chess.write(record("c", "x1"), expecting: nil)
            #expect(try await chess.read() == record("c", "x1"))
            #expect(try await arena.read() == record("a", "v2"))
            await #expect(throws: LeaseConflict.self) { try await arena.delete(version: "v1") }
            try await arena.delete(version: "v2")
            #expect(try await arena.read() == nil)
            #expect(try await chess.read() != nil)
        }
    }

    @Test("The demand history is an item of the lease table beside the fleet's lease: saved and loaded whole, the lease untouched, one fleet's not another's")
    func demandHistoryBesideTheLease() async throws {
        try await MotoWorld.with(instances: 1) { world in
            try await ServeHAMotoTests.createTable(world: world)
            let configuration = AWSClientConfiguration(
                region: MotoWorld.region, credentials: CachedCredentialProvider.standard(environment: Moto.environment, transport: world.transport),
                transport: world.transport)
            let client = try DynamoDBClient(configuration: configuration, endpoint: world.url)
            let lease = DynamoDBLeaseStore(client: client, table: ServeHAMotoTests.table, fleet: "arena")
            let history = lease.demandHistory
            #expect(try await history.load() == nil)
            try await lease.write(LeaseRecord(holder: "a", address: "127.0.0.1:8001", version: "v1", leaseDurationMs: 3000), expecting: nil)

            var profile = SeasonalProfile(at: Date(timeIntervalSince1970: 1_800_000_000))
            profile.baselinePerMinute = 12.5
            profile.bursts = (0..<40).map { SeasonalProfile.Burst(start: Date(timeIntervalSince1970: 1_800_000_000 + Double($0) * 1800), minutes: 2, arrivals: 600) }
            try await history.save(profile)
            // A new leader, a new process: its own store on the same table.
            let successor = DynamoDBLeaseStore(client: client, table: ServeHAMotoTests.table, fleet: "arena").demandHistory
            #expect(try await successor.load() == profile)
            #expect(try await lease.read()?.version == "v1", "the lease item is another item")
            #expect(try await DynamoDBLeaseStore(client: client, table: ServeHAMotoTests.table, fleet: "chess").demandHistory.load() == nil)
            #expect(history.location.contains("arena#demand"))
            profile.bursts.removeFirst(10)
            try await history.save(profile)
            #expect(try await successor.load()?.bursts.count == 30, "a save replaces the profile whole")
        }
    }

    @Test("A damaged lease item (no version, or a version that is not a string) can be taken over, conditional on it still being damaged")
    func damagedItemsCanBeTakenOver() async throws {
        try await MotoWorld.with(instances: 1) { world in
            try await ServeHAMotoTests.createTable(world: world)
            let configuration = AWSClientConfiguration(
                region: MotoWorld.region, credentials: CachedCredentialProvider.standard(environment: Moto.environment, transport: world.transport),
                transport: world.transport)
            let client = try DynamoDBClient(configuration: configuration, endpoint: world.url)
            let store = DynamoDBLeaseStore(client: client, table: ServeHAMotoTests.table, fleet: "arena")
            let damaged: [[String: DynamoDBValue]] = [
                ["fleet": .string("arena")],
                ["fleet": .string("arena"), "holder": .string("someone"), "version": .number("7")],
            ]
            for item in damaged {
                try await client.putItem(table: ServeHAMotoTests.table, item: item)
                let seen = try #require(try await store.read(), "a damaged item still reads as a lease")
                let mine = LeaseRecord(holder: "a", address: "127.0.0.1:8001", version: "v1", leaseDurationMs: 3000)
                // What an elector does once the damaged lease went unrenewed for a lease duration.
                try await store.write(mine, expecting: seen.version)
                #expect(try await store.read() == mine, "taking over \(item)")
                // Only a damaged item matches: the lease just written is not taken over that way.
                await #expect(throws: LeaseConflict.self) {
                    try await store.write(LeaseRecord(holder: "b", address: "x:1", version: "w1", leaseDurationMs: 3000), expecting: seen.version)
                }
                try await store.delete(version: "v1")
            }
        }
    }
}
