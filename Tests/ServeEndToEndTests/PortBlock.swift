import Glibc

/// A block of consecutive ports on 127.0.0.1 that were all free when chosen: the first for gamefleet's
/// public face, the second for its admin face, the rest for its gameservers. Chosen below Linux's default ephemeral range (32768-60999)
/// so the test's own outgoing connections never land on them.
struct PortBlock {
    let listen: Int
    let admin: Int
    let gameservers: ClosedRange<Int>

    struct Exhausted: Error, CustomStringConvertible {
        var description: String { "no block of free ports found between 20000 and 32000" }
    }

    /// Tries random bases until every port of a block binds.
    static func reserve(gameserverPorts count: Int = 20) throws -> PortBlock {
        for _ in 0..<100 {
            let base = Int.random(in: 20_000...(32_000 - count - 1))
            let ports = base...(base + count + 1)
            let free = ports.allSatisfy { port in
                guard let fd = Loopback.bind(port: port, listening: false) else { return false }
                close(fd)
                return true
            }
            if free { return PortBlock(listen: base, admin: base + 1, gameservers: (base + 2)...(base + count + 1)) }
        }
        throw Exhausted()
    }
}
