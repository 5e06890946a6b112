import Foundation
import Glibc
import Synchronization

/// A hostile health endpoint on 127.0.0.1: it answers every request with a good head announcing a
/// 200-byte body, then sends that body one byte a second. A prober that waits for the body waits
/// for minutes. Plain sockets and threads, so it runs beside gamefleet without any event loop.
final class DripServer: Sendable {
    let port: Int
    private let listener: Int32
    private let stopped = Atomic<Bool>(false)
    private let accepted = Atomic<Int>(0)

    /// Connections accepted so far: one per probe that reached the server.
    var connections: Int { accepted.load(ordering: .relaxed) }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard fd >= 0, bound, listen(fd, 64) == 0 else {
            if fd >= 0 { close(fd) }
            throw ServeFailure("the drip server cannot listen on 127.0.0.1")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: actual.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                if stopped.load(ordering: .relaxed) { return }
                continue
            }
            accepted.add(1, ordering: .relaxed)
            Thread.detachNewThread { [self] in drip(connection) }
        }
    }

    private func drip(_ connection: Int32) {
        defer { close(connection) }
        var request = [UInt8](repeating: 0, count: 4096)
        guard recv(connection, &request, request.count, 0) > 0 else { return }
        guard send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n", on: connection) else { return }
        for index in 0..<200 {
            for _ in 0..<10 {
                if stopped.load(ordering: .relaxed) { return }
                usleep(100_000)
            }
            guard send(index == 0 ? "{" : " ", on: connection) else { return }
        }
    }

    private func send(_ text: String, on connection: Int32) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Stops accepting and ends every drip within about 100 ms.
    func stop() {
        stopped.store(true, ordering: .relaxed)
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}
