import Glibc
import Synchronization

/// Ports on 127.0.0.1 for servers a test starts, never handed out twice in one test process.
///
/// "Bind, read the port, close" only says a port was free a moment ago. All suites run in one
/// process, in parallel, so two tests asking that question close together could be told the same
/// port, and a test reserving a block of ports for a fleet could pick one that overlaps another
/// test's block whose gameservers had not started yet. That happened: a restart test counted
/// another test's gameserver as its own. Every port and block a test gets comes from here, and this
/// remembers what it gave out.
public enum LoopbackPorts {
    public struct Exhausted: Error, CustomStringConvertible {
        public let description: String
    }

    private struct Book {
        var handedOut: Set<Int> = []
        /// Where the next block search starts: blocks are laid out one after another from a random
        /// start, so two test processes side by side rarely meet either.
        var nextBlock = Int.random(in: blockRange)
    }

    private static let book = Mutex(Book())

    /// Blocks lie below Linux's default ephemeral range (32768-60999), so no outgoing connection,
    /// and no port-0 bind, lands in one.
    static let blockRange = 20_000...32_000

    /// A port the kernel chose for a port-0 bind on 127.0.0.1 (so in the ephemeral range), free
    /// when chosen and not handed out before by this process.
    public static func free() throws -> Int {
        for _ in 0..<64 {
            guard let port = kernelChosenPort() else { continue }
            let fresh = book.withLock { book in book.handedOut.insert(port).inserted }
            if fresh { return port }
        }
        throw Exhausted(description: "no free loopback port the test process had not already used, after 64 tries (errno \(errno))")
    }

    /// `count` consecutive ports below the ephemeral range, each free when chosen and none handed
    /// out before by this process.
    public static func block(count: Int) throws -> ClosedRange<Int> {
        precondition(count > 0 && count < 500)
        let span = blockRange.upperBound - blockRange.lowerBound + 1
        for _ in 0..<(span / count) {
            let candidate: ClosedRange<Int>? = book.withLock { book in
                var base = book.nextBlock
                if base + count - 1 > blockRange.upperBound { base = blockRange.lowerBound }
                book.nextBlock = base + count
                let ports = base...(base + count - 1)
                guard ports.allSatisfy({ !book.handedOut.contains($0) }) else { return nil }
                book.handedOut.formUnion(ports)
                return ports
            }
            guard let ports = candidate else { continue }
            // Taken by some other program: keep them marked (they are no use to us) and move on.
            if ports.allSatisfy(bindsNow) { return ports }
        }
        throw Exhausted(description: "no block of \(count) free loopback ports in \(blockRange)")
    }

    private static func kernelChosenPort() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }

    private static func bindsNow(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
