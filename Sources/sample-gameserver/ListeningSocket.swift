import Glibc

/// The non-blocking TCP socket that players and health probes connect to.
struct ListeningSocket: Sendable {
    /// The socket, already bound and listening.
    let fileDescriptor: Int32
    /// Where it listens, as `127.0.0.1:7000` or `[::1]:7000`, with the real port when 0 was asked for.
    let address: String

    /// Resolves `host` (a numeric address, or a name such as `localhost`), binds `port` on the first
    /// address found and listens. `SO_REUSEADDR` is set so a restart does not wait out TIME_WAIT;
    /// on Linux it still refuses a port that another socket is listening on.
    static func open(host: String, port: Int) throws(ListenError) -> ListeningSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let first = found else {
            throw .unknownHost(host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(found) }
        let requested = formatAddress(first.pointee.ai_addr, fallbackHost: host, port: port)

        let socketType = Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
        let fd = socket(first.pointee.ai_family, socketType, 0)
        guard fd >= 0 else {
            throw .failed(address: requested, SystemCallError("socket"))
        }
        var enable: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &enable, socklen_t(MemoryLayout<Int32>.size))

        guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            let error = SystemCallError("bind")
            Glibc.close(fd)
            throw error.code == EADDRINUSE ? .addressInUse(requested) : .failed(address: requested, error)
        }
        guard listen(fd, SOMAXCONN) == 0 else {
            let error = SystemCallError("listen")
            Glibc.close(fd)
            throw .failed(address: requested, error)
        }

        // Read the address back so that port 0 shows the port the kernel chose.
        var bound = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let actual = withUnsafeMutablePointer(to: &bound) { storage in
            storage.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                getsockname(fd, address, &length) == 0
                    ? formatAddress(address, fallbackHost: host, port: port)
                    : requested
            }
        }
        return ListeningSocket(fileDescriptor: fd, address: actual)
    }

    /// Accepts one waiting connection, already non-blocking; nil when none is waiting.
    /// Throws for failures that waiting will not fix by itself, such as running out of descriptors.
    func acceptConnection() throws(SystemCallError) -> Int32? {
        while true {
            // accept4 is hidden from Swift by Glibc's module map, so set the flags with fcntl.
            let fd = accept(fileDescriptor, nil, nil)
            if fd >= 0 {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                return fd
            }
            switch errno {
            case EAGAIN, EWOULDBLOCK:
                return nil
            case EINTR, ECONNABORTED:
                // The signal or the client that gave up does not affect the next connection.
                continue
            default:
                throw SystemCallError("accept")
            }
        }
    }

    /// Stops listening; connections already accepted are not touched.
    func close() {
        _ = Glibc.close(fileDescriptor)
    }

    /// `host:port` for IPv4, `[host]:port` for IPv6, read from a socket address. Falls back to the
    /// name as given if the address is of another family.
    private static func formatAddress(_ address: UnsafeMutablePointer<sockaddr>?, fallbackHost: String, port: Int) -> String {
        guard let address else { return "\(fallbackHost):\(port)" }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                var raw = ipv4.pointee.sin_addr
                inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
                return "\(decodeCString(text)):\(UInt16(bigEndian: ipv4.pointee.sin_port))"
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                var raw = ipv6.pointee.sin6_addr
                inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
                return "[\(decodeCString(text))]:\(UInt16(bigEndian: ipv6.pointee.sin6_port))"
            }
        default:
            return "\(fallbackHost):\(port)"
        }
    }

    /// The text of a NUL-terminated C buffer, up to the first NUL.
    private static func decodeCString(_ buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Why the server could not start listening.
enum ListenError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The host is neither an address nor a name the resolver knows: a bad argument.
    case unknownHost(String, reason: String)
    /// Another socket already listens on the address, usually another gameserver on the same port.
    case addressInUse(String)
    /// Any other failure to create, bind or listen on the socket.
    case failed(address: String, SystemCallError)

    /// One line naming the address, for stderr.
    var description: String {
        switch self {
        case let .unknownHost(host, reason):
            "cannot resolve host '\(host)': \(reason)"
        case let .addressInUse(address):
            "cannot listen on \(address): address already in use"
        case let .failed(address, error):
            "cannot listen on \(address): \(error)"
        }
    }
}
