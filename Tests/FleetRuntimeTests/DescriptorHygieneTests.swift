import FleetCore
import FleetRuntime
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A gameserver must hold none of gamefleet's descriptors: a listening socket inherited by a child
/// outlives a `kill -9` of gamefleet and keeps the next gamefleet from binding its port.
@Suite("Gameservers inherit no descriptors", .serialized)
struct DescriptorHygieneTests {
    /// A listening TCP socket on an ephemeral 127.0.0.1 port, opened the plain way (no
    /// SOCK_CLOEXEC), as a library in gamefleet's process may well open one.
    static func listeningSocket() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0, "socket: \(String(cString: strerror(errno)))")
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0 && listen(fd, 8) == 0, "bind/listen: \(String(cString: strerror(errno)))")
        return fd
    }

    /// Descriptor number → what it points at (`socket:[123]`, `/dev/null`, ...), from /proc/PID/fd.
    static func descriptors(of pid: pid_t) -> [Int: String] {
        let directory = "/proc/\(pid)/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var result: [Int: String] = [:]
        for name in names {
            guard let number = Int(name) else { continue }
            result[number] = (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\(name)")) ?? "?"
        }
        return result
    }

    @Test("a gameserver started while gamefleet holds a listening socket holds only stdin, stdout and stderr")
    func aChildHoldsNoneOfTheParentsSockets() async throws {
        let listener = try Self.listeningSocket()
        defer { close(listener) }
        let socketName = try #require(Self.descriptors(of: getpid())[Int(listener)], "no /proc/self/fd/\(listener)")
        try #require(socketName.hasPrefix("socket:"))

        let provider = LocalProvider(logger: quietLogger())
        let spec = FleetSpec(
            name: "fds", provider: .local, gameserver: GameserverSpec(capacity: 4), scaling: ScalingSpec(upscaleMargin: 1, downscaleMargin: 6),
            allocation: AllocationSpec(), local: LocalSpec(command: ["/bin/sh", "-c", "exec sleep 60", "{port}"], host: "127.0.0.1", ports: 47140...47159))
        let outcomes = await provider.apply([.launch(spec.taskDefinition, code: .belowUpscaleMargin, reason: "t")], spec: spec)
        let id = try #require(outcomes.first?.launched, "launch failed: \(outcomes)")
        let pid = try #require(pid_t(id.split(separator: "-").last ?? ""))
        let held = Self.descriptors(of: pid)
        await provider.shutdown()

        #expect(!held.isEmpty, "cannot read /proc/\(pid)/fd")
        #expect(!held.values.contains(socketName), "the gameserver holds the parent's listening socket \(socketName) (fds \(held))")
        let extra = held.filter { $0.key > 2 }
        #expect(extra.isEmpty, "the gameserver inherited descriptors beyond stdio: \(extra.sorted { $0.key < $1.key })")
    }
}
