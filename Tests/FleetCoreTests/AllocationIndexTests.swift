import Foundation
import PropertyBased
import Testing
@testable import FleetCore

/// The allocation index must answer exactly as the reference scan, `Allocator.choose`, does: same
/// server, same tie-breaks, same fallback to outdated servers and to the backup, allocation after
/// allocation as reservations pile up.
@Suite("Allocation index against the reference scan")
struct AllocationIndexTests {
    /// Random fleets (the planner's generator: lies about capacity, standby, failing, outdated and
    /// starting servers), random reservations, both strategies, with and without a backup; then as
    /// many allocations as the fleet has slots, plus a few past that.
    @Test func answersLikeTheScanAllocationAfterAllocation() async {
        await propertyCheck(count: 600, input: RandomFleet.specGene, RandomFleet.serverGenes, Gen.int(in: 0...1_000_000)) { specGene, genes, extra in
            var spec = RandomFleet.spec(specGene)
            spec.allocation.strategy = extra % 2 == 0 ? .packed : .spread
            spec.allocation.backup = (extra / 2) % 2 == 0 ? HostPort(host: "127.0.0.1", port: 8888) : nil
            var servers = RandomFleet.fleet(genes, spec: spec).servers
            // Duplicate rooms on purpose so ties are common, and shuffle ids against positions.
            if (extra / 4) % 3 == 0 {
                for i in servers.indices { servers[i].health.availableCapacity = servers[i].health.availableCapacity.map { min($0, 2) } }
            }
            if (extra / 12) % 2 == 0 { servers.reverse() }
            var reserved: [String: Int] = [:]
            var reservedByIndex = Array(repeating: 0, count: servers.count)
            for i in servers.indices where (extra >> (i % 20)) & 1 == 1 {
                let n = 1 + (genes[i % max(genes.count, 1)] % 3)
                reserved[servers[i].id] = n
                reservedByIndex[i] = n
            }
            var index = AllocationIndex(servers: servers, spec: spec, reserved: reservedByIndex)
            let rounds = servers.count * spec.gameserver.capacity + 3
            for round in 0..<rounds {
                let expected = Allocator.choose(from: servers, spec: spec, reserved: reserved)
                #expect(index.peek() == expected, "peek, round \(round)")
                let (got, position) = index.allocate()
                #expect(got == expected, "round \(round): index \(got), scan \(expected)")
                guard got == expected else { return }
                if case .server(let id, _) = got {
                    #expect(position.map { servers[$0].id } == id)
                    reserved[id, default: 0] += 1
                } else {
                    #expect(position == nil)
                }
            }
        }
    }

    struct TieCase: Sendable, CustomTestStringConvertible {
        var name: String
        var strategy: AllocationStrategy
        var rooms: [(id: String, free: Int)]
        var expected: [String]
        var testDescription: String { name }
    }

    static let ties: [TieCase] = [
        TieCase(name: "packed fills the fullest, smallest id first", strategy: .packed,
                rooms: [("b", 2), ("a", 2), ("c", 5)], expected: ["a", "a", "b", "b", "c"]),
        TieCase(name: "spread takes the emptiest, smallest id on ties", strategy: .spread,
                rooms: [("b", 2), ("a", 2), ("c", 3)], expected: ["c", "a", "b", "c", "a"]),
    ]

    @Test(arguments: ties)
    func tieBreaks(_ c: TieCase) {
        var s = spec()
        s.allocation.strategy = c.strategy
        let servers = c.rooms.map { server($0.id, free: $0.free) }
        var index = AllocationIndex(servers: servers, spec: s)
        let picks = c.expected.indices.map { _ -> String in
            if case .server(let id, _) = index.allocate().0 { return id }
            return "-"
        }
        #expect(picks == c.expected)
    }
}
