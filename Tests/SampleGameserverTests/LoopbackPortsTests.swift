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
