import Glibc
import TestSupport

/// A block of consecutive ports on 127.0.0.1 that were all free when chosen and that no other test
/// in the process was given: the first for gamefleet's public face, the second for its admin face,
/// the rest for its gameservers.
struct PortBlock {
    let listen: Int
    let admin: Int
    let gameservers: ClosedRange<Int>

    /// A block from ``LoopbackPorts``, so no other test in the process holds any of its ports.
    static func reserve(gameserverPorts count: Int = 20) throws -> PortBlock {
        let ports = try LoopbackPorts.block(count: count + 2)
        let base = ports.lowerBound
        return PortBlock(listen: base, admin: base + 1, gameservers: (base + 2)...ports.upperBound)
    }
}
