import Glibc

/// The running gameserver: one thread and one poll(2) loop over the shutdown pipe, the listening
/// socket and every accepted connection.
///
/// Each turn first reads whatever arrived on every ready connection, and only then answers the
/// health probes that completed in that turn. So an answer already leaves out every player whose
/// close was seen in the same turn, and no probe is ever counted as a player in its own answer.
struct Gameserver {
    /// How long a connection may sit on a half-sent request that could still be a health probe
    /// before it is closed. A silent connection that has sent nothing is a player and never times out.
    static let probeIdleTimeout: Duration = .seconds(5)
    /// How long an answered probe is drained, waiting for the client to close, before it is closed anyway.
    static let probeLinger: Duration = .seconds(1)
    /// Longest single wait in poll, in milliseconds. Signals wake the loop at once through the
    /// pipe; this only bounds how late the timeouts above fire.
    static let pollIntervalMilliseconds: Int32 = 100
    /// Largest read from one connection per turn; a client that sends more is read on later turns.
    static let readSize = 16 * 1024
    /// How long to stop accepting after running out of descriptors, rather than spin on a
    /// listener that stays readable.
    static let acceptBackoff: Duration = .milliseconds(100)

    /// Players the server is sized for; see `LaunchOptions.capacity`.
    let capacity: Int
    /// Where players and probes connect.
    let listener: ListeningSocket
    /// Wakes the loop when SIGTERM or SIGINT arrives.
    let shutdown: ShutdownSignal

    private let clock = ContinuousClock()
    private var connections: [Int32: Connection] = [:]
    private var acceptResumesAt: ContinuousClock.Instant
    private var readBuffer = [UInt8](repeating: 0, count: Gameserver.readSize)

    /// Serves from `listener` until a signal arrives on `shutdown`.
    init(capacity: Int, listener: ListeningSocket, shutdown: ShutdownSignal) {
        self.capacity = capacity
        self.listener = listener
        self.shutdown = shutdown
        self.acceptResumesAt = clock.now
    }

    /// Connections that count as players right now, including those over capacity.
    var players: Int {
        connections.values.count(where: \.countsAsPlayer)
    }

    /// Runs until SIGTERM or SIGINT. Then it stops accepting, closes every connection and returns
    /// the signal and how many players were connected. Throws only if poll itself fails, which
    /// leaves the server unable to go on.
    mutating func run() throws(SystemCallError) -> (signal: Int32, players: Int) {
        while true {
            var watched = [pollfd(fd: shutdown.fileDescriptor, events: Int16(POLLIN), revents: 0)]
            let listening = clock.now >= acceptResumesAt
            if listening {
                watched.append(pollfd(fd: listener.fileDescriptor, events: Int16(POLLIN), revents: 0))
            }
            let firstConnection = watched.count
            let order = Array(connections.keys)
            for fd in order {
                watched.append(pollfd(fd: fd, events: Self.events(for: connections[fd]!), revents: 0))
            }

            if poll(&watched, nfds_t(watched.count), Self.pollIntervalMilliseconds) < 0 {
                guard errno == EINTR else { throw SystemCallError("poll") }
                // A signal interrupted the wait; its byte is on the pipe, read below or next turn.
            }

            if watched[0].revents != 0, let signal = shutdown.receivedSignal() {
                let connected = players
                closeEverything()
                return (signal, connected)
            }

            let now = clock.now
            var probesToAnswer: [Int32] = []
            for (offset, fd) in order.enumerated()
            where watched[firstConnection + offset].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                receive(on: fd, now: now, probesToAnswer: &probesToAnswer)
            }
            if !probesToAnswer.isEmpty {
                let answer = Reply.health(capacity: capacity, players: players)
                for fd in probesToAnswer {
                    connections[fd]?.unsent = answer
                }
            }
            for fd in Array(connections.keys) where connections[fd]?.unsent.isEmpty == false {
                send(on: fd)
            }
            if listening, watched[1].revents & Int16(POLLIN) != 0 {
                acceptWaiting(now: now)
            }
            closeExpired(now: now)
        }
    }

    /// What to wait for on a connection: input always, except from a probe whose answer is still
    /// being written (its input no longer matters); output while an answer is unsent.
    private static func events(for connection: Connection) -> Int16 {
        if case .answeredProbe = connection.role, !connection.unsent.isEmpty {
            return Int16(POLLOUT)
        }
        return Int16(connection.unsent.isEmpty ? POLLIN : POLLIN | POLLOUT)
    }

    /// Reads once from a ready connection. EOF or an error ends it; bytes from a connection still
    /// in `.greeting` decide its role; bytes from anything else are dropped.
    private mutating func receive(on fd: Int32, now: ContinuousClock.Instant, probesToAnswer: inout [Int32]) {
        let count = read(fd, &readBuffer, readBuffer.count)
        if count == 0 {
            drop(fd)
            return
        }
        if count < 0 {
            if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                drop(fd)
            }
            return
        }
        guard var connection = connections[fd] else { return }
        connection.lastHeard = now
        if case .greeting = connection.role {
            connection.received += readBuffer[..<count]
            switch Greeting.classify(connection.received) {
            case let .incomplete(mayBeHealthProbe):
                connection.role = .greeting(mayBeHealthProbe: mayBeHealthProbe)
            case .healthProbe:
                // Leaves the player count now, before this turn's answers are computed.
                connection.role = .answeredProbe(closeBy: now + Self.probeLinger)
                connection.received = []
                probesToAnswer.append(fd)
            case let .webSocketUpgrade(key):
                connection.role = .player
                connection.received = []
                connection.unsent += Reply.switchingProtocols(webSocketKey: key)
            case .player:
                connection.role = .player
                connection.received = []
            case .oversizedProbe:
                drop(fd)
                return
            }
        }
        connections[fd] = connection
    }

    /// Writes as much of a connection's unsent answer as the kernel takes. Once a probe's answer is
    /// all out, shuts down the sending side, which tells the client the answer is complete.
    private mutating func send(on fd: Int32) {
        guard var connection = connections[fd] else { return }
        while !connection.unsent.isEmpty {
            let written = connection.unsent.withUnsafeBytes { bytes in
                Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                connection.unsent.removeFirst(written)
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                break
            } else {
                drop(fd)
                return
            }
        }
        if connection.unsent.isEmpty, case .answeredProbe = connection.role, !connection.sendingClosed {
            Glibc.shutdown(fd, Int32(SHUT_WR))
            connection.sendingClosed = true
        }
        connections[fd] = connection
    }

    /// Accepts every waiting connection; each starts as a player in `.greeting`.
    private mutating func acceptWaiting(now: ContinuousClock.Instant) {
        do {
            while let fd = try listener.acceptConnection() {
                connections[fd] = Connection(fileDescriptor: fd, lastHeard: now)
            }
        } catch {
            // Usually out of descriptors: the waiting clients stay queued until some close.
            SampleGameserver.log("sample-gameserver: \(error); pausing accepts")
            acceptResumesAt = now + Self.acceptBackoff
        }
    }

    /// Closes half-sent probes that went quiet and answered probes whose client has not closed.
    private mutating func closeExpired(now: ContinuousClock.Instant) {
        for (fd, connection) in connections {
            switch connection.role {
            case .greeting(mayBeHealthProbe: true)
            where !connection.received.isEmpty && now - connection.lastHeard >= Self.probeIdleTimeout:
                drop(fd)
            case let .answeredProbe(closeBy) where now >= closeBy:
                drop(fd)
            default:
                break
            }
        }
    }

    private mutating func drop(_ fd: Int32) {
        Glibc.close(fd)
        connections[fd] = nil
    }

    /// Stops accepting first, so no client is accepted only to be closed, then closes the rest.
    private mutating func closeEverything() {
        listener.close()
        for fd in connections.keys {
            Glibc.close(fd)
        }
        connections.removeAll()
    }
}
