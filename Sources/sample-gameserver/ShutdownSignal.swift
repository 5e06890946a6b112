import Glibc

/// Write end of the self-pipe. A global because a C signal handler cannot capture anything; it is
/// set once, before any handler is installed, and only read afterwards.
nonisolated(unsafe) private var shutdownPipeWriteEnd: Int32 = -1

/// Turns SIGTERM and SIGINT into a byte on a pipe (the self-pipe trick), so the poll loop wakes at
/// once and shuts down between iterations, where it is safe to close sockets and print.
struct ShutdownSignal: Sendable {
    /// Read end of the pipe; poll it for `POLLIN`. Each byte waiting is the number of a signal received.
    let fileDescriptor: Int32

    /// Creates the pipe, routes SIGTERM and SIGINT to it (unblocking them if the parent had them
    /// blocked), and ignores SIGPIPE so a write to a player that has gone fails with EPIPE instead
    /// of killing the server. Call once per process, before any other thread starts.
    static func install() throws(SystemCallError) -> ShutdownSignal {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw SystemCallError("pipe")
        }
        // Both ends non-blocking: the handler must never block, and the loop drains without waiting.
        // (pipe2 would do this in one call, but Glibc's module map hides it from Swift.)
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        shutdownPipeWriteEnd = ends[1]
        signal(SIGPIPE, SIG_IGN)
        let forward: @convention(c) (Int32) -> Void = { number in
            // Only async-signal-safe work here: one write, keeping errno as the interrupted code had it.
            let savedErrno = errno
            var byte = UInt8(truncatingIfNeeded: number)
            _ = write(shutdownPipeWriteEnd, &byte, 1)
            errno = savedErrno
        }
        signal(SIGTERM, forward)
        signal(SIGINT, forward)
        // A child inherits its parent's blocked signals, and a parent whose threads block SIGTERM
        // (as some Swift runtimes do) would otherwise leave this server unstoppable but by SIGKILL.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGTERM)
        sigaddset(&stopSignals, SIGINT)
        sigprocmask(SIG_UNBLOCK, &stopSignals, nil)
        return ShutdownSignal(fileDescriptor: ends[0])
    }

    /// The first signal waiting on the pipe, or nil if none has arrived yet.
    func receivedSignal() -> Int32? {
        var byte: UInt8 = 0
        return read(fileDescriptor, &byte, 1) == 1 ? Int32(byte) : nil
    }

    /// `SIGTERM`, `SIGINT`, or `signal N` for anything else.
    static func name(of number: Int32) -> String {
        switch number {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        default: "signal \(number)"
        }
    }
}
