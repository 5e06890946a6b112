import FleetCore
import FleetRuntime
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The local provider's state file, seen from outside: the JSON a previous gamefleet left on disk,
/// real processes standing in for its gameservers, and what a new provider adopts from it.
@Suite("Local state file and adoption", .serialized)
struct LocalStateFileTests {
    static let fleet = "adopt"

    func spec() -> FleetSpec {
        FleetSpec(name: Self.fleet, provider: .local, gameserver: GameserverSpec(capacity: 4), scaling: ScalingSpec(upscaleMargin: 1, downscaleMargin: 6),
                  allocation: AllocationSpec(), local: LocalSpec(command: ["/bin/sh", "-c", "exec sleep 60", "{port}"], host: "127.0.0.1", ports: 47170...47189))
    }

    /// A fresh directory and the state file's path in it; the directory is removed by `cleanUp`.
    static func scratch() throws -> (URL, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appendingPathComponent("adopt.state.json"))
    }

    /// A gameserver a previous gamefleet started (`sleep 60`), started by a provider that keeps no
    /// state file, standing in for that gamefleet. (Foundation's `Process` would not do: its children
    /// inherit each other's exit-notification sockets, so one waits for the other to end.)
    /// It lives at most 60 s if a failed test leaves it behind.
    static func standIn(_ old: LocalProvider, spec: FleetSpec) async throws -> (id: String, pid: pid_t) {
        let outcomes = await old.apply([.launch(spec.taskDefinition, code: .belowUpscaleMargin, reason: "t")], spec: spec)
        let id = try #require(outcomes.first?.launched, "cannot start the stand-in: \(outcomes)")
        return (id, try #require(pid_t(id.split(separator: "-").last ?? "")))
    }

    /// Field 22 of /proc/PID/stat, read here independently of the code under test.
    static func startTime(of pid: pid_t) throws -> UInt64 {
        let text = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let close = try #require(text.lastIndex(of: ")"))
        let fields = text[text.index(after: close)...].split(separator: " ")
        return try #require(UInt64(fields[19]))
    }

    static var bootID: String {
        ((try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The JSON a gamefleet writes, by hand, for one server.
    static func stateJSON(fleet: String = fleet, bootID: String = bootID, id: String, pid: pid_t, startTime: UInt64, port: Int,
                          standby: Bool, launchedAt: String) -> String {
        """
        {
          "bootID" : "\(bootID)",
          "fleet" : "\(fleet)",
          "servers" : [
            {
              "id" : "\(id)",
              "launchedAt" : "\(launchedAt)",
              "pid" : \(pid),
              "port" : \(port),
              "standby" : \(standby),
              "startTime" : \(startTime),
              "taskDefinition" : "local:/bin/sh -c exec sleep 60 {port}"
            }
          ],
          "version" : 1,
          "writtenBy" : 1
        }
        """
    }

    static func alive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !stat.contains(") Z ")
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// Added to the real start time in the file: non-zero is a pid the kernel gave to another process.
        var startTimeOffset: UInt64 = 0
        var otherBoot = false
        /// The process exited before the new gamefleet started.
        var exited = false
        var adopted: Bool
        var testDescription: String { name }
    }

    @Test("a process in the state file is adopted only while it is the very process that was started", arguments: [
        Case(name: "same pid, same start time: adopted", adopted: true),
        Case(name: "same pid, another start time (pid recycled): not adopted, not signalled", startTimeOffset: 1, adopted: false),
        Case(name: "written in an earlier boot: not adopted, not signalled", otherBoot: true, adopted: false),
        Case(name: "pid gone: not adopted", exited: true, adopted: false),
    ])
    func adoptionNeedsTheSameProcess(_ c: Case) async throws {
        let (directory, stateFile) = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let old = LocalProvider(stopGrace: .seconds(2), logger: quietLogger())
        let (standIn, pid) = try await Self.standIn(old, spec: spec())
        let start = try Self.startTime(of: pid)
        if c.exited {
            _ = await old.apply([Action(kind: .stop, server: standIn, code: .readyToClose, reason: "t")], spec: spec())
            let deadline = ContinuousClock.now + .seconds(10)
            while try await !old.servers(spec: spec()).isEmpty && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            try #require(kill(pid, 0) != 0, "the stand-in \(pid) did not exit")
        }
        let id = "local-47171-\(pid)"
        try Self.stateJSON(bootID: c.otherBoot ? UUID().uuidString.lowercased() : Self.bootID, id: id, pid: pid,
                           startTime: start + c.startTimeOffset, port: 47171, standby: true, launchedAt: "2026-11-29T19:00:00.250Z")
            .write(to: stateFile, atomically: true, encoding: .utf8)

        let provider = try LocalProvider(stateFile: stateFile, fleet: Self.fleet, stopGrace: .seconds(2), logger: quietLogger())
        let servers = try await provider.servers(spec: spec())
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: stateFile)) as? [String: Any]
        let listed = (written?["servers"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
        if c.adopted {
            let server = try #require(servers.first, "nothing adopted")
            #expect(servers.count == 1)
            #expect(server.id == id && server.address?.port == 47171 && server.standby && server.lifecycle == .running)
            #expect(server.launchedAt == Date(timeIntervalSince1970: 1_795_978_800.25), "launchedAt \(server.launchedAt)")
            #expect(listed == [id], "the rewritten state file lists \(listed)")
        } else {
            #expect(servers.isEmpty, "adopted \(servers.map(\.id))")
            #expect(listed.isEmpty, "the rewritten state file still lists \(listed)")
        }
        await provider.shutdown()
        #expect(!FileManager.default.fileExists(atPath: stateFile.path), "shutdown left the state file")
        if c.adopted {
            #expect(!Self.alive(pid), "shutdown did not stop the adopted gameserver")
        } else if !c.exited {
            #expect(Self.alive(pid), "a process that is not ours was signalled")
        }
        await old.shutdown()
    }

    @Test("a provider dropped without shutdown (a crash) leaves a state file from which the next one adopts, stops and removes")
    func aCrashedProvidersServersAreAdoptedAndCanBeStopped() async throws {
        let (directory, stateFile) = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        var launched: [String] = []
        do {
            let crashed = try LocalProvider(stateFile: stateFile, fleet: Self.fleet, logger: quietLogger())
            let outcomes = await crashed.apply([.launch(spec().taskDefinition, code: .belowUpscaleMargin, reason: "t"), .launch(spec().taskDefinition, code: .belowUpscaleMargin, reason: "t")], spec: spec())
            launched = outcomes.compactMap(\.launched)
            _ = await crashed.apply([Action(kind: .standby, server: launched[1], code: .aboveDownscaleMargin, reason: "t")], spec: spec())
        }  // no shutdown: its children keep running, as after kill -9
        try #require(launched.count == 2)
        let pids = launched.compactMap { pid_t($0.split(separator: "-").last ?? "") }
        defer { for pid in pids { kill(pid, SIGKILL) } }

        let file = try JSONSerialization.jsonObject(with: Data(contentsOf: stateFile)) as? [String: Any]
        let records = try #require(file?["servers"] as? [[String: Any]])
        #expect(Set(records.compactMap { $0["id"] as? String }) == Set(launched))
        for record in records {
            let pid = try #require(record["pid"] as? Int)
            #expect(record["startTime"] as? Int == Int(try Self.startTime(of: pid_t(pid))), "\(record)")
        }

        let restarted = try LocalProvider(stateFile: stateFile, fleet: Self.fleet, stopGrace: .seconds(2), logger: quietLogger())
        let adopted = try await restarted.servers(spec: spec())
        #expect(Set(adopted.map(\.id)) == Set(launched))
        #expect(adopted.first { $0.id == launched[1] }?.standby == true)
        #expect(adopted.first { $0.id == launched[0] }?.standby == false)

        // Stopping an adopted server: SIGTERM, and its exit is seen without waitpid.
        _ = await restarted.apply([Action(kind: .stop, server: launched[0], code: .readyToClose, reason: "t")], spec: spec())
        let deadline = ContinuousClock.now + .seconds(10)
        var left = adopted
        while left.contains(where: { $0.id == launched[0] }) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            left = try await restarted.servers(spec: spec())
        }
        #expect(left.map(\.id) == [launched[1]])
        #expect(!Self.alive(pids[0]))

        await restarted.shutdown()
        #expect(!Self.alive(pids[1]))
        #expect(!FileManager.default.fileExists(atPath: stateFile.path))
    }

    @Test("a second provider for the same state file is refused while the first runs")
    func aSecondGamefleetForTheSameFleetIsRefused() async throws {
        let (directory, stateFile) = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try LocalProvider(stateFile: stateFile, fleet: Self.fleet, logger: quietLogger())
        #expect {
            _ = try LocalProvider(stateFile: stateFile, fleet: Self.fleet, logger: quietLogger())
        } throws: { error in
            let text = "\(error)"
            return text.contains(stateFile.path + ".lock") && text.contains("another gamefleet (pid \(getpid()))")
        }
        await first.shutdown()
        let again = try LocalProvider(stateFile: stateFile, fleet: Self.fleet, logger: quietLogger())
        await again.shutdown()
    }

    @Test("a state file that is not one, or belongs to another fleet, is refused naming the file", arguments: [
        ("{ not json", "not a gamefleet local state file"),
        (LocalStateFileTests.stateJSON(fleet: "other", id: "local-47171-1", pid: 1, startTime: 1, port: 47171, standby: false, launchedAt: "2026-11-29T19:00:00Z"),
         "belongs to fleet 'other', not 'adopt'"),
    ])
    func aBadStateFileIsRefused(_ text: String, _ expected: String) throws {
        let (directory, stateFile) = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        try text.write(to: stateFile, atomically: true, encoding: .utf8)
        #expect {
            _ = try LocalProvider(stateFile: stateFile, fleet: Self.fleet, logger: quietLogger())
        } throws: { error in
            "\(error)".contains(stateFile.path) && "\(error)".contains(expected)
        }
        #expect(try String(contentsOf: stateFile, encoding: .utf8) == text, "the refused file was changed")
    }

    @Test("the default state file is .gamefleet/<name>.state.json beside the fleet file; a relative local.stateFile is taken from there")
    func stateFileLocation() {
        #expect(LocalProvider.stateFileLocation(configured: nil, configPath: "/etc/gamefleet/fleet.yaml", fleet: "chess").path
                == "/etc/gamefleet/.gamefleet/chess.state.json")
        #expect(LocalProvider.stateFileLocation(configured: "run/state.json", configPath: "/etc/gamefleet/fleet.yaml", fleet: "chess").path
                == "/etc/gamefleet/run/state.json")
        #expect(LocalProvider.stateFileLocation(configured: "/var/lib/gamefleet/chess.json", configPath: "fleet.yaml", fleet: "chess").path
                == "/var/lib/gamefleet/chess.json")
    }
}

extension LocalStateFileTests {
    @Test("a dry run sees the fleet of the state file, follows it pass by pass, and changes nothing: no lock, no write, no signal")
    func aDryRunOnlyObserves() async throws {
        let (directory, stateFile) = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let live = try LocalProvider(stateFile: stateFile, fleet: Self.fleet, stopGrace: .seconds(2), logger: quietLogger())
        let launched = await live.apply([.launch(spec().taskDefinition, code: .belowUpscaleMargin, reason: "t")], spec: spec()).compactMap(\.launched)
        try #require(launched.count == 1)
        let pid = try #require(pid_t(launched[0].split(separator: "-").last ?? ""))

        let dryRun = LocalProvider(observing: stateFile, fleet: Self.fleet, logger: quietLogger())
        let before = try Data(contentsOf: stateFile)
        #expect(try await dryRun.servers(spec: spec()).map(\.id) == launched)
        let refused = await dryRun.apply([.launch(spec().taskDefinition, code: .belowUpscaleMargin, reason: "t"), Action(kind: .stop, server: launched[0], code: .readyToClose, reason: "t")], spec: spec())
        #expect(refused.allSatisfy { $0.error?.contains("dry run") == true }, "\(refused)")
        await dryRun.shutdown()
        #expect(Self.alive(pid), "a dry run stopped a gameserver")
        #expect(try Data(contentsOf: stateFile) == before, "a dry run changed the state file")

        // The live gamefleet launches another: the dry run sees it at its next observation.
        let second = await live.apply([.launch(spec().taskDefinition, code: .belowUpscaleMargin, reason: "t")], spec: spec()).compactMap(\.launched)
        #expect(Set(try await dryRun.servers(spec: spec()).map(\.id)) == Set(launched + second))
        await live.shutdown()
        #expect(try await dryRun.servers(spec: spec()).isEmpty)
        #expect(!Self.alive(pid))
    }
}

extension LocalStateFileTests {
    @Test("a state file that cannot be kept where it is configured is refused with the system's reason")
    func anUnusableLocationIsRefused() throws {
        let (directory, _) = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let blocker = directory.appendingPathComponent("plain-file")
        try "x".write(to: blocker, atomically: true, encoding: .utf8)
        let stateFile = blocker.appendingPathComponent("sub/adopt.state.json")
        #expect {
            _ = try LocalProvider(stateFile: stateFile, fleet: Self.fleet, logger: quietLogger())
        } throws: { error in
            "\(error)".contains(stateFile.path) && "\(error)".contains("\(blocker.path) is not a directory")
        }
    }
}
