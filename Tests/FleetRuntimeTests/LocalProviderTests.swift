import FleetCore
import FleetRuntime
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The local provider with a stand-in gameserver (`sleep`), to check process handling on its own;
/// the end-to-end tests run it with the real sample-gameserver.
@Suite("Local provider", .serialized)
struct LocalProviderTests {
    func spec(command: [String]) -> FleetSpec {
        FleetSpec(name: "t", provider: .local, gameserver: GameserverSpec(capacity: 4), scaling: ScalingSpec(upscaleMargin: 1, downscaleMargin: 6),
                  allocation: AllocationSpec(), local: LocalSpec(command: command, host: "127.0.0.1", ports: 47100...47119))
    }

    /// True while the process exists and is not a zombie waiting to be reaped.
    static func alive(_ id: String) -> Bool {
        guard let pid = Int32(id.split(separator: "-").last ?? ""), kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !stat.contains(") Z ")
    }

    @Test func launchStopAndShutdownLeaveNoProcessBehind() async throws {
        let provider = LocalProvider(stopGrace: .seconds(2), logger: quietLogger())
        let spec = spec(command: ["/bin/sh", "-c", "exec sleep 60", "{port}"])
        let outcomes = await provider.apply([.launch(spec.taskDefinition, code: .belowUpscaleMargin, reason: "t"), .launch(spec.taskDefinition, code: .belowUpscaleMargin, reason: "t")], spec: spec)
        #expect(outcomes.allSatisfy { $0.succeeded })
        var servers = try await provider.servers(spec: spec)
        #expect(servers.count == 2)
        #expect(Set(servers.compactMap(\.address?.port)).count == 2)
        #expect(servers.allSatisfy { $0.lifecycle == .running && Self.alive($0.id) })

        _ = await provider.apply([Action.on(.standby, servers[0], code: .aboveDownscaleMargin, reason: "t")], spec: spec)
        let parked = try await provider.servers(spec: spec).first?.standby
        #expect(parked == true)

        _ = await provider.apply([Action.on(.stop, servers[0], code: .readyToClose, reason: "t")], spec: spec)
        let stopped = servers[0].id
        let deadline = ContinuousClock.now + .seconds(10)
        repeat {
            servers = try await provider.servers(spec: spec)
            try await Task.sleep(for: .milliseconds(50))
        } while servers.contains(where: { $0.id == stopped }) && ContinuousClock.now < deadline
        #expect(!servers.contains { $0.id == stopped })
        #expect(!Self.alive(stopped))

        let remaining = servers.map(\.id)
        await provider.shutdown()
        #expect(remaining.allSatisfy { !Self.alive($0) })
        let left = try await provider.servers(spec: spec)
        #expect(left.isEmpty)
    }

    @Test func aProcessThatDiesIsGoneOnTheNextLook() async throws {
        let provider = LocalProvider(logger: quietLogger())
        let spec = spec(command: ["/bin/sh", "-c", "exec sleep 60", "{port}"])
        _ = await provider.apply([.launch(spec.taskDefinition, code: .belowUpscaleMargin, reason: "t")], spec: spec)
        let id = try #require(try await provider.servers(spec: spec).first?.id)
        kill(Int32(id.split(separator: "-").last!)!, SIGKILL)
        try await Task.sleep(for: .milliseconds(200))
        let left = try await provider.servers(spec: spec)
        #expect(left.isEmpty)
        await provider.shutdown()
    }

    @Test func aChildIgnoringSIGTERMIsKilled() async throws {
        let provider = LocalProvider(stopGrace: .milliseconds(300), logger: quietLogger())
        let spec = spec(command: ["/bin/sh", "-c", "trap '' TERM; while true; do sleep 0.1; done", "{port}"])
        _ = await provider.apply([.launch(spec.taskDefinition, code: .belowUpscaleMargin, reason: "t")], spec: spec)
        let id = try #require(try await provider.servers(spec: spec).first?.id)
        try await Task.sleep(for: .milliseconds(200))   // let the shell install its trap
        await provider.shutdown()
        #expect(!Self.alive(id))
    }

    @Test func aMissingExecutableIsAFailedLaunchNamingIt() async throws {
        let provider = LocalProvider(logger: quietLogger())
        let spec = spec(command: ["/nonexistent/gameserver", "{port}"])
        let outcomes = await provider.apply([.launch(spec.taskDefinition, code: .belowUpscaleMargin, reason: "t")], spec: spec)
        #expect(outcomes.first?.error?.hasPrefix("launch: cannot start /nonexistent/gameserver") == true)
        let left = try await provider.servers(spec: spec)
        #expect(left.isEmpty)
    }

    /// A command that cannot keep a gameserver up is a failed launch, not a success that vanishes on
    /// the next look (which the loop would retry at full speed, spawning as fast as it can).
    @Test func aCommandThatExitsAtOnceIsAFailedLaunch() async throws {
        let provider = LocalProvider(logger: quietLogger())
        let spec = spec(command: ["/bin/sh", "-c", "exit 3", "gs", "{port}"])
        let outcomes = await provider.apply([.launch(spec.taskDefinition, code: .belowUpscaleMargin, reason: "t")], spec: spec)
        #expect(outcomes.first?.succeeded == false)
        #expect(outcomes.first?.error?.contains("local.command exited at once (exit 3)") == true, "\(outcomes)")
        #expect(try await provider.servers(spec: spec).isEmpty)
    }
}
