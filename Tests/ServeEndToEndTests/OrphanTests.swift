import Foundation
import Glibc
import Testing

/// `kill -9` of gamefleet leaves its gameservers running with their players; the next gamefleet for
/// the same fleet must adopt them (not launch a fleet beside them), and must be able to bind its port.
/// Declared in an extension so it runs in the same serialized suite as the other serve tests.
extension ServeEndToEndTests {
    @Test("kill -9 with players connected, then restart: same gameserver processes, same players, no launch, listen port bound")
    func aRestartAfterKill9AdoptsTheRunningFleet() async throws {
        try await ServeProcess.run { serve in
            // gamefleet listens first; the second gameserver is launched after that (three players
            // on the first leave 1 free slot, under the upscale margin of 2), so on a gamefleet that
            // leaks descriptors it inherits the listening socket.
            let first = try await serve.waitFor("one gameserver answering, /readyz 200", within: .seconds(60)) {
                let snapshot = try await serve.snapshot()
                guard snapshot.servers.count == 1, snapshot.servers[0].answering else { return nil as FleetSnapshot.Server? }
                return try await serve.get("/readyz").status == 200 ? snapshot.servers[0] : nil
            }
            let firstAddress = try #require(first.address)
            for _ in 0..<3 { try serve.connectPlayer(to: firstAddress) }
            let grown = try await serve.waitFor("a second gameserver answering", within: .seconds(60)) {
                let snapshot = try await serve.snapshot()
                return snapshot.servers.count == 2 && snapshot.servers.allSatisfy(\.answering) ? snapshot : nil
            }
            let second = try #require(grown.servers.first { $0.id != first.id })
            let secondAddress = try #require(second.address)
            // 1 + 3 free slots: inside the margins 2..7, so the fleet neither grows nor shrinks.
            try serve.connectPlayer(to: secondAddress)
            let expectedFree = [first.id: 1, second.id: 3]
            let counted = try await serve.waitFor("the players counted by gamefleet", within: .seconds(60)) {
                let snapshot = try await serve.snapshot()
                let free = Dictionary(uniqueKeysWithValues: snapshot.servers.compactMap { s in s.health.availableCapacity.map { (s.id, $0) } })
                return free == expectedFree ? snapshot : nil
            }
            let pids = Set(counted.servers.compactMap(\.pid))
            try #require(pids.count == 2, "\(counted.digest)")
            let stateFile = serve.directory.appendingPathComponent(".gamefleet/e2e.state.json").path
            #expect(FileManager.default.fileExists(atPath: stateFile), "no state file at \(stateFile)\(serve.report())")

            try await serve.killHard()
            #expect(pids.allSatisfy(GameserverProcesses.isAlive), "a gameserver died with gamefleet: \(pids.filter { !GameserverProcesses.isAlive($0) })")
            // Nothing may hold gamefleet's listening socket now that gamefleet is gone.
            #expect(!Loopback.accepts(port: serve.ports.listen),
                    "127.0.0.1:\(serve.ports.listen) still accepts after gamefleet was killed: a gameserver inherited its listening socket")

            try serve.restart()
            try await serve.waitFor("GET /readyz answering 200 from the restarted gamefleet", within: .seconds(60)) {
                try await serve.get("/readyz").status == 200 ? true : nil
            }
            let adopted = try await serve.waitFor("the same 2 gameservers answering, players counted", within: .seconds(60)) {
                let snapshot = try await serve.snapshot()
                let free = Dictionary(uniqueKeysWithValues: snapshot.servers.compactMap { s in s.health.availableCapacity.map { (s.id, $0) } })
                return snapshot.servers.count == 2 && snapshot.servers.allSatisfy(\.answering) && free == expectedFree ? snapshot : nil
            }
            #expect(Set(adopted.servers.compactMap(\.pid)) == pids, "\(adopted.digest)")
            #expect(Set(adopted.servers.map(\.launchedAt)) == Set(counted.servers.map(\.launchedAt)), "launchedAt changed on adoption")

            // Over several passes: nothing launched, nothing stopped, the same processes on the ports.
            let held = try await serve.snapshots(overPasses: 5)
            let actions = held.compactMap(\.lastPlan).flatMap(\.actions)
            #expect(actions.isEmpty, "after the restart gamefleet planned \(actions.map { "\($0.kind) \($0.server ?? ""): \($0.reason)" })\(serve.report())")
            #expect(held.allSatisfy { Set($0.servers.compactMap(\.pid)) == pids }, "\(serve.report())")
            #expect(Set(GameserverProcesses.running(onPorts: serve.ports.gameservers)) == pids,
                    "gameserver processes on the fleet's ports: \(GameserverProcesses.running(onPorts: serve.ports.gameservers)), before the kill: \(pids.sorted())")
            #expect(!serve.log().contains("started gameserver"), "the restarted gamefleet launched a gameserver\(serve.report())")
            #expect(serve.log().contains("adopted gameserver"), "\(serve.report())")
            // The players never left: each gameserver still counts them itself.
            #expect(try await serve.gameserverHealth(at: firstAddress).available_capacity == 1)
            #expect(try await serve.gameserverHealth(at: secondAddress).available_capacity == 3)

            serve.disconnectPlayers()
            try await Self.expectCleanStop(serve, gameservers: 2)
            #expect(!FileManager.default.fileExists(atPath: stateFile), "the state file outlived a graceful stop")
        }
    }
}
