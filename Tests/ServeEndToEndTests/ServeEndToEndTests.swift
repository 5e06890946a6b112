import Foundation
import Glibc
import Testing

/// `gamefleet serve` with `provider: local`, end to end: the built `gamefleet` binary running real
/// `sample-gameserver` processes on 127.0.0.1, driven and watched only from outside (HTTP, TCP
/// players, the file on disk, signals, /proc), as an operator would.
///
/// Each test starts its own gamefleet on its own ports with fast settings (a pass every 400 ms,
/// four slots per gameserver, margins 2..7), waits on deadlines rather than fixed sleeps, and ends
/// with SIGTERM, checking that gamefleet exits 0 and leaves no gameserver behind. The tests run one
/// at a time: on a small shared machine, parallel fleets would only make the deadlines flaky.
@Suite("gamefleet serve with real gameservers", .serialized, .timeLimit(.minutes(5)))
struct ServeEndToEndTests {
    static let refused = #"gamefleet_config_reloads_total{result="refused"}"#
    static let applied = #"gamefleet_config_reloads_total{result="applied"}"#

    @Test("starts, gets ready, runs exactly minServers and hands out a real gameserver; SIGTERM stops everything")
    func startsServesAndStops() async throws {
        // Two, not one, so "exactly minServers" can tell the rule from "always one", and SIGTERM
        // has more than one gameserver to stop.
        try await ServeProcess.run({ $0.minServers = 2 }) { serve in
            try await serve.waitFor("GET /readyz answering 200", within: .seconds(60)) {
                try await serve.get("/readyz").status == 200 ? true : nil
            }
            let fleet = try await serve.waitFor("2 gameservers answering their probes", within: .seconds(60)) {
                let snapshot = try await serve.snapshot()
                return snapshot.servers.count == 2 && snapshot.servers.allSatisfy(\.answering) ? snapshot : nil
            }
            #expect(fleet.ready && fleet.provider == "local" && !fleet.dryRun && fleet.config.path == serve.configPath,
                    "\(fleet.digest)")
            #expect(Set(fleet.servers.compactMap(\.pid)) == Set(GameserverProcesses.running(onPorts: serve.ports.gameservers)),
                    "the pids in /v1/fleet are the gameserver processes on the fleet's ports\(serve.report())")

            // Exactly minServers, pass after pass: nothing more is launched, nothing parked.
            let held = try await serve.snapshots(overPasses: 4)
            #expect(held.map(\.servers.count).allSatisfy { $0 == 2 }, "server counts over 4 passes: \(held.map(\.servers.count))\(serve.report())")
            let actions = held.compactMap(\.lastPlan).flatMap(\.actions)
            #expect(actions.isEmpty, "a steady fleet planned \(actions.map { "\($0.kind): \($0.reason)" })\(serve.report())")

            // The allocation names one of those servers, and it is a real gameserver: it answers its
            // health contract and counts a player who connects to the address handed out.
            let allocation = try await serve.allocate()
            let answer = try #require(allocation.answer, "GET /available-gameserver/ answered \(allocation.status): \(allocation.body)\(serve.report())")
            #expect(!answer.backup)
            let server = try #require(fleet.servers.first { $0.id == answer.server_id }, "allocated \(answer) is not in /v1/fleet\(serve.report())")
            #expect(server.address == answer.available)
            let port = try #require(Loopback.port(of: answer.available), "allocated \(answer.available), not a 127.0.0.1 address")
            #expect(serve.ports.gameservers.contains(port))
            let idle = try await serve.gameserverHealth(at: answer.available)
            #expect(idle.available_capacity == 4 && idle.ready_to_close, "\(idle)")
            try serve.connectPlayer(to: answer.available)
            let busy = try await serve.gameserverHealth(at: answer.available)
            #expect(busy.available_capacity == 3 && !busy.ready_to_close, "\(busy)")
            serve.disconnectPlayers()

            // The allocation shows up in exactly one pass's demand window (/v1/history keeps every
            // pass's window), and the two launches' startup was measured.
            struct History: Decodable {
                struct Pass: Decodable {
                    struct Tally: Decodable { var server: Int; var backup: Int; var none: Int }
                    var allocations: Tally
                }
                var passes: [Pass]
            }
            let counted = try await serve.waitFor("the allocation counted by a pass", within: .seconds(60)) {
                let history = try JSONDecoder().decode(History.self, from: Data(try await serve.get("/v1/history").body.utf8))
                let windows = history.passes.filter { $0.allocations.server + $0.allocations.backup + $0.allocations.none > 0 }
                return windows.isEmpty ? nil : windows
            }
            #expect(counted.count == 1 && counted[0].allocations.server == 1 && counted[0].allocations.backup == 0,
                    "windows with answers: \(counted.map(\.allocations))\(serve.report())")
            let later = try await serve.snapshot()
            let demand = try #require(later.observed?.demand, "no demand in /v1/fleet's observed state\(serve.report())")
            #expect(demand.requests == demand.allocations + demand.backup + demand.unavailable && demand.windowSeconds > 0, "\(demand)")
            let startup = try #require(later.observed?.startup, "no startup in /v1/fleet's observed state\(serve.report())")
            #expect(startup.samples == 2 && startup.p90Seconds >= 0 && startup.p90Seconds < 20, "\(startup)")
            // Each pass folds its window into the trend (the demand policy's smoothed rate); the one
            // allocation made it more than zero, and the held rate is never under the smoothed one.
            let trend = try #require(later.observed?.trend, "no trend in /v1/fleet's observed state\(serve.report())")
            #expect(trend.smoothedPerMinute > 0 && trend.heldPerMinute >= trend.smoothedPerMinute && trend.players != nil, "\(trend)")

            let list = try JSONDecoder().decode(ServerListAnswer.self, from: Data(try await serve.get("/available-gameserver-list/").body.utf8))
            #expect(Set(list.server_list) == Set(fleet.servers.compactMap(\.address)))

            try await Self.expectCleanStop(serve, gameservers: 2)
            #expect(serve.log().contains("gamefleet stopped"), "\(serve.report())")
        }
    }

    @Test("players filling the fleet launch a gameserver; their leaving parks one in standby, then stops it")
    func playersScaleTheFleetUpAndDown() async throws {
        try await ServeProcess.run { serve in
            let first = try await serve.waitFor("one gameserver answering its probes", within: .seconds(60)) {
                let snapshot = try await serve.snapshot()
                return snapshot.servers.count == 1 && snapshot.servers[0].answering ? snapshot.servers[0] : nil
            }

            // Three players on a four-slot server leave 1 free slot, under the upscale margin of 2.
            for _ in 0..<3 {
                let allocation = try await serve.allocate()
                let answer = try #require(allocation.answer, "GET /available-gameserver/ answered \(allocation.status): \(allocation.body)\(serve.report())")
                #expect(answer.server_id == first.id)
                try serve.connectPlayer(to: answer.available)
            }
            var planned: [FleetSnapshot.Action] = []
            var playersCounted = false
            let grown = try await serve.waitFor("a second gameserver answering", within: .seconds(60)) {
                let snapshot = try await serve.snapshot()
                planned += snapshot.lastPlan?.actions ?? []
                if snapshot.servers.first(where: { $0.id == first.id })?.health.availableCapacity == 1 { playersCounted = true }
                return snapshot.servers.count == 2 && snapshot.servers.allSatisfy(\.answering) ? snapshot : nil
            }
            #expect(playersCounted, "the three players never showed as 1 free slot on \(first.id)\(serve.report())")
            #expect(grown.servers.contains { $0.id == first.id })
            #expect(planned.contains { $0.kind == "launch" } || serve.log().contains("free slots 1 < upscale margin 2"),
                    "no launch for the players was seen in lastPlan or the log\(serve.report())")

            // With 5 free slots (1 + 4) the fleet sits inside its margins: no more launches, no standby.
            let steady = try await serve.snapshots(overPasses: 3)
            #expect(steady.allSatisfy { $0.servers.count == 2 && !$0.servers.contains(where: \.standby) },
                    "between the margins the fleet changed: \(steady.map(\.servers.count))\(serve.report())")

            // They leave: 8 free slots > 7 parks the emptiest server, which, empty, is then stopped.
            serve.disconnectPlayers()
            var standbySeen = false
            let shrunk = try await serve.waitFor("back to one active gameserver", within: .seconds(60)) {
                let snapshot = try await serve.snapshot()
                if snapshot.servers.contains(where: \.standby) || snapshot.lastPlan?.actions.contains(where: { $0.kind == "standby" }) == true {
                    standbySeen = true
                }
                return snapshot.servers.count == 1 && snapshot.servers.allSatisfy({ $0.answering && !$0.standby }) ? snapshot : nil
            }
            #expect(standbySeen || serve.log().contains("~ standby"), "the server was stopped without going through standby\(serve.report())")
            #expect(serve.log().contains("in standby and ready to close"), "\(serve.report())")
            let stopped = grown.servers.filter { server in !shrunk.servers.contains { $0.id == server.id } }
            #expect(stopped.count == 1)
            for server in stopped {
                let pid = try #require(server.pid)
                #expect(!GameserverProcesses.isAlive(pid), "stopped gameserver \(server.id) is still running")
            }

            try await Self.expectCleanStop(serve, gameservers: 1)
        }
    }

    @Test("a gameserver killed with SIGKILL is replaced")
    func aKilledGameserverIsReplaced() async throws {
        try await ServeProcess.run { serve in
            let victim = try await serve.waitFor("one gameserver answering its probes", within: .seconds(60)) {
                let snapshot = try await serve.snapshot()
                return snapshot.servers.count == 1 && snapshot.servers[0].answering ? snapshot.servers[0] : nil
            }
            let pid = try #require(victim.pid, "server id \(victim.id) is not local-<port>-<pid>")
            #expect(GameserverProcesses.isAlive(pid), "\(victim.id): no sample-gameserver with pid \(pid)")

            kill(pid, SIGKILL)
            let replacement = try await serve.waitFor("a new gameserver in place of \(victim.id)", within: .seconds(60)) { () -> FleetSnapshot.Server? in
                let snapshot = try await serve.snapshot()
                guard !snapshot.servers.contains(where: { $0.id == victim.id }) else { return nil }
                return snapshot.servers.count == 1 && snapshot.servers[0].answering ? snapshot.servers[0] : nil
            }
            #expect(replacement.pid != pid)
            #expect(!GameserverProcesses.isAlive(pid))
            #expect(serve.log().contains("gameserver \(victim.id) exited on its own"), "\(serve.report())")
            let allocation = try await serve.allocate()
            #expect(allocation.answer?.server_id == replacement.id, "\(allocation.body)\(serve.report())")

            try await Self.expectCleanStop(serve, gameservers: 1)
        }
    }

    @Test("editing fleet.yaml changes the margins live; a broken file is refused, reported, and changes nothing")
    func reloadAppliesAGoodFileAndRefusesABrokenOne() async throws {
        try await ServeProcess.run { serve in
            let before = try await serve.waitFor("one gameserver answering, margins 2..7", within: .seconds(60)) {
                let snapshot = try await serve.snapshot()
                return snapshot.servers.count == 1 && snapshot.servers[0].answering
                    && snapshot.lastPlan?.summary.upscaleMargin == 2 ? snapshot : nil
            }

            // Margins 9..14 (gap 5 > capacity 4): 9 free slots need three four-slot servers.
            var raised = serve.fleetFile
            raised.upscaleMargin = 9
            raised.downscaleMargin = 14
            try serve.rewriteConfig(raised.yaml)
            let adopted = try await serve.waitFor("upscaleMargin 9 in lastPlan.summary", within: .seconds(60)) {
                let snapshot = try await serve.snapshot()
                return snapshot.lastPlan?.summary.upscaleMargin == 9 ? snapshot : nil
            }
            #expect(adopted.lastPlan?.summary.downscaleMargin == 14)
            #expect(adopted.config.hash != before.config.hash && adopted.config.lastReloadErrors.isEmpty, "\(adopted.config)")
            #expect(try await serve.metric(Self.applied) == 1)
            try await serve.waitFor("three gameservers answering under margins 9..14", within: .seconds(60)) {
                let snapshot = try await serve.snapshot()
                return snapshot.servers.count == 3 && snapshot.servers.allSatisfy(\.answering) ? snapshot : nil
            }

            // A broken file: refused, reported with the file and the key, and the old config stays.
            let broken = raised.yaml.replacingOccurrences(of: "upscaleMargin: 9", with: "upscaleMargin: lots")
            try #require(broken != raised.yaml)
            try serve.rewriteConfig(broken)
            let refused = try await serve.waitFor("config.lastReloadErrors reporting the broken file", within: .seconds(60)) {
                let snapshot = try await serve.snapshot()
                return snapshot.config.lastReloadErrors.isEmpty ? nil : snapshot
            }
            let errors = refused.config.lastReloadErrors.joined(separator: "\n")
            #expect(errors.contains(serve.configPath) && errors.contains("scaling.upscaleMargin"), "lastReloadErrors: \(errors)")
            #expect(refused.config.hash == adopted.config.hash, "the refused file's hash became the running one")
            #expect(try await serve.metric(Self.refused) == 1, "\(serve.report())")
            #expect(try await serve.metric(Self.applied) == 1)

            let held = try await serve.snapshots(overPasses: 4)
            #expect(held.allSatisfy { $0.lastPlan?.summary.upscaleMargin == 9 && $0.lastPlan?.summary.downscaleMargin == 14 },
                    "margins after the refused file: \(held.compactMap { $0.lastPlan.map { "\($0.summary.upscaleMargin)..\($0.summary.downscaleMargin)" } })")
            #expect(held.allSatisfy { $0.servers.count == 3 && !$0.config.lastReloadErrors.isEmpty })
            try await serve.waitFor("GET /readyz answering 200 with the refused file", within: .seconds(60)) {
                try await serve.get("/readyz").status == 200 ? true : nil
            }
            let allocation = try await serve.allocate()
            #expect(allocation.status == 200 && allocation.answer != nil, "\(allocation.body)")

            // SIGHUP reads the file again: still broken, refused a second time, gamefleet still up.
            serve.send(SIGHUP)
            try await serve.waitFor("a second refused reload after SIGHUP", within: .seconds(60)) {
                try await serve.metric(Self.refused) == 2 ? true : nil
            }
            #expect(try await serve.get("/healthz").status == 200)

            try await Self.expectCleanStop(serve, gameservers: 3)
        }
    }

    @Test("serve with listen on a port already taken exits non-zero, naming the address")
    func aTakenListenAddressIsReported() async throws {
        try await ServeProcess.run(autostart: false) { serve in
            let holder = try #require(Loopback.bind(port: serve.ports.listen, listening: true),
                                      "cannot take 127.0.0.1:\(serve.ports.listen) for the test")
            defer { close(holder) }
            try serve.start()
            let exited = await serve.waitForExit(within: .seconds(60))
            #expect(exited, "gamefleet still runs with its listen address taken\(serve.report())")
            #expect(serve.exitStatus.map { $0 != 0 } == true, "gamefleet: \(serve.exitDescription)\(serve.report())")
            let address = "127.0.0.1:\(serve.ports.listen)"
            let named = serve.log().split(separator: "\n").contains { $0.contains(address) && $0.contains("in use") }
            #expect(named, "no line names \(address) as in use\(serve.report())")
            #expect(GameserverProcesses.running(onPorts: serve.ports.gameservers).isEmpty, "gameservers left behind\(serve.report())")
            #expect(serve.ports.gameservers.filter(Loopback.accepts).isEmpty, "gameserver ports still open\(serve.report())")
        }
    }

    /// SIGTERM, then: gamefleet exits 0 within 5 s, it was running `gameservers` gameservers, and
    /// none of them (nor any gameserver on the test's ports) is alive or listening afterwards.
    static func expectCleanStop(_ serve: ServeProcess, gameservers: Int,
                                sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let stop = try await serve.terminate(within: .seconds(60))
        #expect(serve.exitStatus == 0, "after SIGTERM gamefleet: \(serve.exitDescription), waited \(stop.took)\(serve.report())",
                sourceLocation: sourceLocation)
        #expect(stop.gameservers.count == gameservers, "gameservers running before SIGTERM: \(stop.gameservers)",
                sourceLocation: sourceLocation)
        #expect(stop.survivors.isEmpty, "gameservers alive after gamefleet exited: \(stop.survivors)\(serve.report())",
                sourceLocation: sourceLocation)
        #expect(stop.portsStillOpen.isEmpty, "gameserver ports accepting after gamefleet exited: \(stop.portsStillOpen)",
                sourceLocation: sourceLocation)
    }
}
