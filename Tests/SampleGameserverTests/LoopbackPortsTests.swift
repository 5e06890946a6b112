import Testing
import TestSupport

/// The ports every test server listens on come from ``LoopbackPorts``; two tests must never be given
/// the same one, or the same block, in one run.
@Suite("Test support: loopback ports")
struct LoopbackPortsTests {
    @Test("300 single ports, all different")
    func singlePortsAreNeverRepeated() throws {
        let ports = try (0..<300).map { _ in try LoopbackPorts.free() }
        #expect(Set(ports).count == ports.count)
    }

    /// The shared moto once came up on a port another server had been given by a port-0 bind in
    /// the second before moto bound it: moto could not listen, and every later AWS test talked to
    /// a gameserver instead (CI: 29 failures). A port-0 bind, or an outgoing connection, only ever
    /// gets a port in the kernel's ephemeral range, so no port handed out may lie in it.
    @Test("No port handed out lies in the kernel's ephemeral range, where port-0 binds land")
    func portsAvoidTheEphemeralRange() throws {
        let ephemeral = try #require(LoopbackPorts.ephemeralRange())
        let singles = try (0..<50).map { _ in try LoopbackPorts.free() }
        let block = try LoopbackPorts.block(count: 22)
        for port in singles + Array(block) {
            #expect(!ephemeral.contains(port), "port \(port) lies in the ephemeral range \(ephemeral)")
        }
    }

    @Test("40 blocks of 22 ports, disjoint from each other and from single ports")
    func blocksNeverOverlap() throws {
        let singles = try Set((0..<20).map { _ in try LoopbackPorts.free() })
        var seen: Set<Int> = []
        for _ in 0..<40 {
            let block = try LoopbackPorts.block(count: 22)
            #expect(block.count == 22)
            #expect(seen.isDisjoint(with: block), "block \(block) overlaps an earlier one")
            #expect(singles.isDisjoint(with: block))
            seen.formUnion(block)
        }
    }
}

@Suite("Test support: the moto launchers know moto")
struct MotoIdentityTests {
    @Test("Only moto's Werkzeug server counts as moto", arguments: [
        (["Server": "Werkzeug/3.1.9 Python/3.11.7"], true),
        (["server": "Werkzeug/3.1.3 Python/3.12.1"], true),
        (["Server": "Hummingbird"], false),
        (["Content-Type": "application/json"], false),
    ])
    func recognisesMoto(headers: [String: String], isMoto: Bool) {
        let fields = headers.map { (name: $0.key, value: $0.value) }
        #expect(MotoIdentity.isMoto(fields) == isMoto)
        if !isMoto { #expect(MotoIdentity.impostor(url: "http://127.0.0.1:1", headers: fields).contains("http://127.0.0.1:1")) }
    }
}
