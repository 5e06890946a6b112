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

    /// Where every port handed out lies: outside the kernel's ephemeral range (the larger side of
    /// it within 10000-65535), so no port-0 bind and no outgoing connection, in this process or any
    /// other, is ever given one. A port the kernel chose for a port-0 bind once was handed out
    /// here: in the second before moto bound it, a test server's own port-0 bind got it, moto
    /// could not listen, and every later AWS test talked to that server (CI, 29 failures).
    static let blockRange: ClosedRange<Int> = {
        guard let ephemeral = ephemeralRange() else { return 20_000...32_000 }
        let below = 10_000...max(10_000, ephemeral.lowerBound - 1)
        let above = min(65_535, ephemeral.upperBound + 1)...65_535
        return below.count >= above.count ? below : above
    }()

    /// A single port, free when chosen and never handed out before by this process.
    public static func free() throws -> Int {
        try block(count: 1).lowerBound
    }

    /// `count` consecutive ports outside the ephemeral range, each free when chosen and none handed
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

    /// The kernel's ephemeral port range (`/proc/sys/net/ipv4/ip_local_port_range`): where port-0
    /// binds and outgoing connections get their ports. Nil where it cannot be read.
    public static func ephemeralRange() -> ClosedRange<Int>? {
        guard let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8) else { return nil }
        let bounds = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { Int($0) }
        guard bounds.count == 2, bounds[0] <= bounds[1] else { return nil }
        return bounds[0]...bounds[1]
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
