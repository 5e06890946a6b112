import Foundation
import Glibc
import Synchronization

/// A child process the tests start and keep running (gamefleet serve, moto, a gameserver, Chromium),
/// started with posix_spawn and *every* descriptor above stderr closed in the child.
///
/// Not Foundation's `Process`: it closes the parent's descriptors by listing them before it spawns,
/// so a descriptor another thread opens meanwhile reaches the child. Measured here (`/tmp` program:
/// one thread opening sockets, 50 `Process` starts): 422 sockets inherited. In the suite that is an
/// accepted connection of some test's server ending up in moto_server, which then holds it open
/// for the rest of the run after the server closed its own descriptor: the slow-client test's
/// "idle connections the face never closes" (issue 17) were exactly that, `ss -p` showing
/// moto_server and its shell as their holders. `posix_spawn_file_actions_addclosefrom_np` closes in
/// the child, after the fork, so nothing opened at any time reaches it.
///
/// The API follows `Process` (processIdentifier, isRunning, terminationStatus, terminationReason)
/// so call sites read the same. The exit is learned with `waitpid(WNOHANG)`, so a child's own
/// children (an orphaned gameserver) never make it look alive.
public final class Child: @unchecked Sendable {
    public enum Input: Sendable {
        case null
        /// A pipe whose write end the parent keeps (``standardInput``).
        case pipe
    }

    public enum Output: Sendable {
        case null
        /// Appended to this file (created if missing).
        case file(String)
        /// A pipe whose read end the parent keeps (``standardOutput`` / ``standardError``).
        case pipe
        /// Only for stderr: the same as stdout.
        case sameAsStandardOutput
    }

    public enum TerminationReason: Sendable, Equatable {
        case exit
        case uncaughtSignal
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let processIdentifier: pid_t
    /// The write end of stdin, with ``Input/pipe``.
    public let standardInput: FileHandle?
    /// The read ends, with ``Output/pipe``.
    public let standardOutput: FileHandle?
    public let standardError: FileHandle?

    private let status = Mutex<Int32?>(nil)

    private init(pid: pid_t, stdin: FileHandle?, stdout: FileHandle?, stderr: FileHandle?) {
        processIdentifier = pid
        standardInput = stdin
        standardOutput = stdout
        standardError = stderr
    }

    /// Starts `executable` (a path) with `arguments`.
    public static func start(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        stdin: Input = .null, stdout: Output = .null, stderr: Output = .null
    ) throws -> Child {
        guard let closeFrom = Spawn.closeFrom else { throw Failure(description: "this C library has no posix_spawn_file_actions_addclosefrom_np") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }

        // Pipes: made close-on-exec (no other child inherits them), the child's end dup'ed into place.
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        func pipePair() throws -> (read: Int32, write: Int32) {
            var ends: [Int32] = [0, 0]
            // Under the start lock, so no child another test starts meanwhile inherits them.
            let made = processStartLock.withLock { () -> Bool in
                guard pipe(&ends) == 0 else { return false }
                for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
                return true
            }
            guard made else { throw Failure(description: "pipe: errno \(errno)") }
            return (ends[0], ends[1])
        }
        var inputEnd: Int32?, outputEnd: Int32?, errorEnd: Int32?
        do {
            switch stdin {
            case .null:
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            case .pipe:
                let ends = try pipePair()
                posix_spawn_file_actions_adddup2(&actions, ends.read, 0)
                childEnds.append(ends.read)
                parentEnds.append(ends.write)
                inputEnd = ends.write
            }
            for (fd, output) in [(Int32(1), stdout), (Int32(2), stderr)] {
                switch output {
                case .null:
                    posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
                case .file(let path):
                    posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
                case .sameAsStandardOutput:
                    posix_spawn_file_actions_adddup2(&actions, 1, fd)
                case .pipe:
                    let ends = try pipePair()
                    posix_spawn_file_actions_adddup2(&actions, ends.write, fd)
                    childEnds.append(ends.write)
                    parentEnds.append(ends.read)
                    if fd == 1 { outputEnd = ends.read } else { errorEnd = ends.read }
                }
            }
        } catch {
            for fd in parentEnds + childEnds { close(fd) }
            throw error
        }
        if let directory {
            guard let addChdir = Spawn.addChdir else { throw Failure(description: "this C library cannot start a child in \(directory)") }
            _ = addChdir(&actions, directory)
        }
        _ = closeFrom(&actions, 3)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = Spawn.spawn(&pid, executable, &actions, argv, env)
        for fd in childEnds { close(fd) }
        guard spawned == 0 else {
            for fd in parentEnds { close(fd) }
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        return Child(
            pid: pid,
            stdin: inputEnd.map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) },
            stdout: outputEnd.map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) },
            stderr: errorEnd.map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) })
    }

    /// The raw wait status once the child was reaped.
    private func reaped() -> Int32? {
        status.withLock { known in
            if let known { return known }
            var raw: Int32 = 0
            let result = waitpid(processIdentifier, &raw, WNOHANG)
            if result == processIdentifier {
                known = raw
            } else if result < 0 && errno == ECHILD {
                // Reaped by someone else (nothing here waits for any child, but be sure): it is
                // gone, with no status to tell (reported as killed by SIGKILL).
                known = SIGKILL
            }
            return known
        }
    }

    public var isRunning: Bool { reaped() == nil }

    /// Exit code, or the signal's number when a signal ended it (as `Process` says it); 0 while running.
    public var terminationStatus: Int32 {
        guard let raw = reaped() else { return 0 }
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : signal
    }

    public var terminationReason: TerminationReason {
        guard let raw = reaped() else { return .exit }
        return raw & 0x7f == 0 ? .exit : .uncaughtSignal
    }

    /// Exit code, or 128 + signal; nil while running.
    public var exitStatus: Int32? {
        guard !isRunning else { return nil }
        return terminationReason == .exit ? terminationStatus : 128 + terminationStatus
    }

    public func send(_ signal: Int32) {
        if isRunning { kill(processIdentifier, signal) }
    }

    /// Waits asleep (no thread of the cooperative pool held) until the child exits or `limit` passes;
    /// true if it exited.
    @discardableResult
    public func waitForExit(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while isRunning && ContinuousClock.now < deadline {
            // A cancelled task (a time limit) still waits, without spinning: cleanup must finish.
            if Task.isCancelled { usleep(20_000) } else { try? await Task.sleep(for: .milliseconds(20)) }
        }
        return !isRunning
    }
}

extension Child {
    /// `moto_server` on 127.0.0.1:`port`, its output in `log`, under a shell that kills it when this
    /// test process ends however it ends: a watcher waits on a pipe whose write end only this
    /// process holds (``standardInput``; keep the returned child alive), and `read` returns when the
    /// kernel closes it.
    /// The shell itself waits for moto, so it ends when moto does: a moto that could not listen
    /// (its port taken) shows as a child that exited, not as a port someone else answers on.
    public static func moto(executable: String, port: Int, log: String) throws -> Child {
        // A background job's stdin is /dev/null unless given: the lifeline reaches the watcher as fd 3.
        let script = #"""
            exec 3<&0
            "$0" -H 127.0.0.1 -p "$1" >"$2" 2>&1 </dev/null 3<&- & moto=$!
            { read _ <&3; kill -9 $moto; } 2>/dev/null &
            exec 3<&-
            wait $moto
            """#
        return try Child.start("/bin/sh", ["-c", script, executable, String(port), log], stdin: .pipe)
    }
}
