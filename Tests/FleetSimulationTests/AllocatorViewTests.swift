import FleetCore
import Foundation
import Testing
@testable import FleetSimulation

/// A fleet shape for checking the fast allocation path against the direct allocator call.
struct AllocatorViewCase: CustomTestStringConvertible, Sendable {
    let name: String
    let servers: Int
    var strategy: AllocationStrategy = .packed
    var seed: UInt64 = 1
    var testDescription: String { name }
}

@Suite("The simulation's allocation path")
struct AllocatorViewTests {
    static let cases: [AllocatorViewCase] = [
        AllocatorViewCase(name: "no servers", servers: 0),
        AllocatorViewCase(name: "one server", servers: 1),
        AllocatorViewCase(name: "a group's worth", servers: 8),
        AllocatorViewCase(name: "three levels, packed", servers: 300),
        AllocatorViewCase(name: "three levels, spread", servers: 300, strategy: .spread),
        AllocatorViewCase(name: "another mix, packed", servers: 130, seed: 9),
        AllocatorViewCase(name: "another mix, spread", servers: 130, strategy: .spread, seed: 9),
    ]

    /// Servers of every kind the allocator must pass by or pick: full, parked, starting, failing,
    /// outdated, and with room; some with reservations since their probe.
    static func fleet(_ c: AllocatorViewCase) -> (servers: [ObservedServer], reserved: [Int]) {
        var random = SimulationRandom(seed: c.seed, stream: 99)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var servers: [ObservedServer] = []
        var reserved: [Int] = []
        for i in 0..<c.servers {
            let kind = Int(random.next() % 10)
            let free = Int(random.next() % 11)
            servers.append(ObservedServer(
                id: ServerID.make(i), address: HostPort(host: "10.0.0.1", port: 7000),
                taskDefinition: kind == 9 ? "old:1" : "chess:1",
                lifecycle: kind == 8 ? .pending : .running, standby: kind == 7,
                launchedAt: now,
                health: HealthRecord(availableCapacity: kind == 8 ? nil : free, readyToClose: free == 10,
                                     consecutiveFailures: kind == 6 ? 1 : 0, lastSuccessAt: kind == 8 ? nil : now)))
            reserved.append(kind == 5 ? min(free, Int(random.next() % 3)) : 0)
        }
        return (servers, reserved)
    }

    @Test("hands every player the server the direct call would, until the fleet is full", arguments: cases)
    func sameAsDirectCalls(_ c: AllocatorViewCase) {
        let spec = chessSpec(strategy: c.strategy)
        let (servers, carried) = Self.fleet(c)
        var view = AllocatorView(spec: spec, verify: true)
        view.reset(servers: servers, reservedSinceProbe: carried)
        var reserved: [String: Int] = [:]
        for (server, count) in zip(servers, carried) where count > 0 { reserved[server.id] = count }
        // Enough players to fill every slot and then some.
        for player in 0..<(c.servers * 11 + 5) {
            let fast = view.allocate()
            var direct: String?
            if case .server(let id, _) = Allocator.choose(from: servers, spec: spec, reserved: reserved) {
                direct = id
                reserved[id, default: 0] += 1
            }
            #expect(fast == direct, "player \(player)")
            if fast != direct { break }
        }
        #expect(view.mismatches == 0)
    }
}
