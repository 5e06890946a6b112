import Glibc

/// Plain TCP on 127.0.0.1: the ports a test hands gamefleet, player connections, a port held
/// taken, and "does anything listen here". Every socket here is on the loopback address.
enum Loopback {
    /// Connects to `127.0.0.1:port`, blocking; the descriptor or nil when nothing accepts.
    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in.loopback(port: port)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// True when something accepts connections on `127.0.0.1:port` now. The connection is closed
    /// at once.
    static func accepts(port: Int) -> Bool {
        guard let fd = connect(port: port) else { return false }
        close(fd)
        return true
    }

    /// Binds `127.0.0.1:port` (without SO_REUSEADDR, so a port in TIME_WAIT counts as busy) and,
    /// when `listening`, listens. The descriptor, or nil when the port is taken.
    static func bind(port: Int, listening: Bool) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in.loopback(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard bound, !listening || listen(fd, 16) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// The port of `127.0.0.1:PORT`; nil for any other host, so a test never sends traffic elsewhere.
    static func port(of address: String) -> Int? {
        guard address.hasPrefix("127.0.0.1:") else { return nil }
        return Int(address.dropFirst("127.0.0.1:".count))
    }
}

extension sockaddr_in {
    /// 127.0.0.1 and `port`, in network byte order.
    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
