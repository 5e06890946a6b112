import Glibc

/// A blocking TCP client on 127.0.0.1 for talking to the gameserver byte by byte, so a test controls
/// exactly what is sent and when (split writes, no request at all) in a way an HTTP client would not.
final class TCPClient: @unchecked Sendable {
    /// Longest wait for any one read before it fails the test instead of hanging it.
    static let readTimeoutSeconds = 60

    private var fd: Int32

    /// Connects to `127.0.0.1:port`.
    init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed: errno \(errno)") }
        var timeout = timeval(tv_sec: Self.readTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in.loopback(port: port)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TestFailure("connect to 127.0.0.1:\(port) failed: errno \(code)")
        }
    }

    deinit {
        close()
    }

    /// Sends all of `text`.
    func send(_ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw TestFailure("send failed: errno \(errno)") }
            bytes = bytes.dropFirst(sent)
        }
    }

    /// Reads until the server closes the connection; fails after `readTimeoutSeconds` of silence.
    func readToEnd() throws -> String {
        var received: [UInt8] = []
        while let chunk = try readChunk() {
            received += chunk
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Reads a response head, up to and including the blank line, leaving the connection open.
    func readHead() throws -> String {
        var received: [UInt8] = []
        while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
            guard let chunk = try readChunk() else {
                throw TestFailure("connection closed before the end of the head; got: \(String(decoding: received, as: UTF8.self))")
            }
            received += chunk
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Closes the connection; calling it again does nothing.
    func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    /// The next bytes, or nil at EOF.
    private func readChunk() throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        if count < 0 {
            throw TestFailure("read failed or timed out after \(Self.readTimeoutSeconds) s: errno \(errno)")
        }
        return count == 0 ? nil : Array(buffer[..<count])
    }
}

extension sockaddr_in {
    /// 127.0.0.1 and `port`, in network byte order.
    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
