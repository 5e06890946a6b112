import FleetCore
import FleetHTTP
import FleetRuntime
import Foundation
import Glibc
import Logging
import ServiceLifecycle
import TestSupport
import Testing

/// Slow and idle clients (slowloris) on the real public face: 1,000 connections that never send a
/// byte and 50 that send one header byte a second, while players keep getting allocations.
@Suite("Slow clients", .serialized)
struct SlowClientTests {
    @Test func allocationsKeepAnsweringWhileSlowAndIdleClientsHoldConnections() async throws {
        let port = try LoopbackPorts.free()
        var faceSpec = spec()
        faceSpec.listen = HostPort(host: "127.0.0.1", port: port)
        faceSpec.connections = ConnectionSpec(maxConnections: 4096, idleTimeout: .seconds(3), headTimeout: .seconds(2))
        let (state, metrics) = await fleet([server("a", port: 7001, free: 10), server("b", port: 7002, free: 10)], spec: faceSpec)
        var logger = Logger(label: "slow-clients")
        logger.logLevel = .critical
        let application = buildPublicApplication(fleet: state, metrics: metrics, spec: faceSpec, logger: logger)
        let service = Task { try await application.runService() }
        defer { service.cancel() }
        try await waitUntilListening(port)

        // Opened off the cooperative pool: connect(2) blocks while the face's backlog is full.
        let (idle, drippers) = await offThePool {
            ((0..<1000).compactMap { _ in RawConnection(port: port) }, (0..<50).compactMap { _ in RawConnection(port: port) })
        }
        defer { for c in idle + drippers { c.close() } }
        #expect(idle.count == 1000 && drippers.count == 50, "could not open the slow connections")

        let request = Array("GET /available-gameserver/ HTTP/1.1\r\nHost: x\r\n".utf8)
        let drip = Task {
            for byte in 0..<8 {
                for c in drippers { c.send([request[byte % request.count]]) }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        // Players meanwhile: every allocation answers. The verdict is that each one is answered (a
        // starved face never answers: the exchange then ends at its 60 s deadline with nothing);
        // how long each took is printed, not judged, for it is the machine's as much as the face's.
        var answered = 0, slowest: Duration = .zero
        let clock = ContinuousClock()
        for _ in 0..<40 {
            let started = clock.now
            let answer = await offThePool {
                RawConnection(port: port)?.exchange("GET /available-gameserver/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout: 60) ?? "no connection"
            }
            slowest = max(slowest, clock.now - started)
            if answer.hasPrefix("HTTP/1.1 200") { answered += 1 }
            try await Task.sleep(for: .milliseconds(100))
        }
        print("slow clients: \(answered) of 40 allocations answered while 1,000 idle and 50 dripping connections were open; slowest \(slowest)")
        #expect(answered == 40)
        // The head deadline (2 s) closes the drippers although each sent a byte every second, and the
        // idle timeout (3 s) the silent ones: every one of them, however long a loaded machine takes
        // to get to it (waited for, up to a minute after the drip ends).
        // Closed means the face's side let go: the client reads the end of the stream, or the kernel
        // holds no socket of the face's that is still open towards that client's port (ESTAB or
        // CLOSE-WAIT). The second look does not depend on this process's descriptor table, whose
        // numbers other tests' code might close and reuse under a long-lived test like this one.
        _ = await drip.value
        var dripOpen = drippers, idleOpen = idle
        let deadline = clock.now + .seconds(60)
        while !(dripOpen.isEmpty && idleOpen.isEmpty), clock.now < deadline {
            dripOpen.removeAll { $0.isClosedByPeer() }
            idleOpen.removeAll { $0.isClosedByPeer() }
            if !(dripOpen.isEmpty && idleOpen.isEmpty), let held = await Self.portsTheFaceHolds(face: port) {
                dripOpen.removeAll { $0.openedFrom.map { !held.contains($0) } ?? false }
                idleOpen.removeAll { $0.openedFrom.map { !held.contains($0) } ?? false }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(dripOpen.isEmpty, "\(drippers.count - dripOpen.count) of \(drippers.count) dripping connections closed")
        let evidence = await Self.describe(idleOpen + dripOpen, face: port)
        // This used to fail now and then with the whole suite running (3 or 4 of the 1,000, once
        // 427): `ss -p` showed those sockets held by moto_server and its shell, which had inherited
        // the face's accepted connections from Foundation's Process (it closes the parent's
        // descriptors by a list made before it spawns). Tests now start every child with
        // TestSupport's Child or Spawn, which close all of them in the child. The evidence stays, in
        // case a process ever holds one again.
        #expect(idleOpen.isEmpty, "\(idle.count - idleOpen.count) of \(idle.count) idle connections closed\(evidence)")
    }

    /// The client ports of every connection the face still holds open (its side ESTAB, or CLOSE-WAIT:
    /// the client left but the face did not close), as the kernel lists them; nil when `ss` fails.
    static func portsTheFaceHolds(face: Int) async -> Set<Int>? {
        guard let finished = try? await offThePool({ try Spawn.run("/usr/bin/env", ["ss", "-tanH", "( sport = :\(face) )"]) }),
              finished.status == 0 else { return nil }
        var held = Set<Int>()
        for line in String(decoding: finished.stdout, as: UTF8.self).split(separator: "\n") {
            let columns = line.split(whereSeparator: \.isWhitespace)
            guard columns.count >= 5, columns[0] == "ESTAB" || columns[0] == "CLOSE-WAIT",
                  let peer = columns[4].split(separator: ":").last.flatMap({ Int($0) }) else { continue }
            held.insert(peer)
        }
        return held
    }

    /// What the kernel says of connections the face left open (a failure's evidence): each one's
    /// ports as the descriptor sees them now, and `ss`'s line for it, with the face's listener
    /// (whose Recv-Q is the accept queue).
    static func describe(_ open: [RawConnection], face: Int) async -> String {
        guard !open.isEmpty else { return "" }
        let ports = open.prefix(8).map { "fd \($0.fd): local \($0.localPort.map(String.init) ?? "?") → peer \($0.peerPort.map(String.init) ?? "?")" }
        // -p: which process and descriptor holds each socket (the face's side of a leaked connection
        // is this process's, or a child's that inherited it); -e: the socket's inode.
        let listing = (try? await offThePool { try Spawn.run("/usr/bin/env", ["ss", "-tanpe", "( sport = :\(face) or dport = :\(face) )"]) })
            .map { String(decoding: $0.stdout, as: UTF8.self) } ?? "ss failed"
        let locals = Set(open.compactMap(\.localPort).map { ":\($0) " })
        let lines = listing.split(separator: "\n").filter { line in line.contains("LISTEN") || locals.contains { line.contains($0) } }
        return "\nstill open: \(ports.joined(separator: "; "))\nss:\n\(lines.prefix(20).joined(separator: "\n"))"
    }

    func waitUntilListening(_ port: Int) async throws {
        for _ in 0..<200 {
            if let c = RawConnection(port: port) { c.close(); return }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("the public face never listened on \(port)")
    }
}

/// A blocking TCP connection to 127.0.0.1, for clients that misbehave on purpose.
final class RawConnection: @unchecked Sendable {
    let fd: Int32

    init?(port: Int) {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return nil }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { Glibc.close(socketFD); return nil }
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) == 0 } }
        fd = socketFD
        openedFrom = named ? Int(UInt16(bigEndian: local.sin_port)) : nil
    }

    /// The client port this connection was opened from (the kernel's name for it, whatever later
    /// happens to the descriptor's number).
    let openedFrom: Int?

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Sends `request` and reads until the peer closes or `timeout` seconds pass.
    func exchange(_ request: String, timeout: Int) -> String {
        defer { close() }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        send(Array(request.utf8))
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The local and the peer port of the descriptor now (nil when it is no connected socket).
    var localPort: Int? { port(of: getsockname) }
    var peerPort: Int? { port(of: getpeername) }

    private func port(of call: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32) -> Int? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call(fd, $0, &length) == 0 } }
        return ok ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }

    /// True when the server has closed its side (a read finds the end, or the connection was reset).
    /// Whatever the server sent before closing (an error answer) is read past, without waiting.
    func isClosedByPeer() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if n > 0 { continue }
            return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
        }
    }

    func close() { Glibc.close(fd) }
}

/// The listening socket's backlog, read from the kernel (`ss`, iproute2), for a face that may hold
/// 3,000 connections: a burst of connections faster than the face accepts waits there, and past the
/// backlog Linux drops a client's handshake silently (the client believes it is connected; the face
/// never sees it, so never closes it). The backlog used to be 1,024 whatever `maxConnections` said.
@Suite("Public face backlog")
struct BacklogTests {
    @Test func theBacklogHoldsAsManyConnectionsAsTheFaceMayHaveOpen() async throws {
        let port = try LoopbackPorts.free()
        var faceSpec = spec()
        faceSpec.listen = HostPort(host: "127.0.0.1", port: port)
        faceSpec.connections = ConnectionSpec(maxConnections: 3000, idleTimeout: .seconds(30), headTimeout: .seconds(5))
        let (state, metrics) = await fleet([server("a", port: 7001, free: 10)], spec: faceSpec)
        var logger = Logger(label: "backlog")
        logger.logLevel = .critical
        let application = buildPublicApplication(fleet: state, metrics: metrics, spec: faceSpec, logger: logger)
        let service = Task { try await application.runService() }
        defer { service.cancel() }
        try await SlowClientTests().waitUntilListening(port)

        let finished = try await offThePool { try Spawn.run("/usr/bin/env", ["ss", "-ltnH", "sport = :\(port)"]) }
        let listing = String(decoding: finished.stdout, as: UTF8.self)
        // LISTEN  Recv-Q  Send-Q  Local  Peer: for a listening socket Send-Q is the backlog.
        let columns = listing.split(whereSeparator: \.isWhitespace)
        #expect(columns.first == "LISTEN", "ss (iproute2) printed: \(listing)")
        #expect(columns.count > 2 && columns[2] == "3000", "the face listens with a backlog of \(columns.count > 2 ? String(columns[2]) : "?"): \(listing)")
    }
}
