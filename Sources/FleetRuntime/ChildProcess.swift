import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn, with default signal dispositions and an empty signal
/// mask. Foundation's `Process` passes on whatever the parent has: a service that traps SIGTERM for
/// graceful shutdown (ServiceLifecycle sets it to ignored) would otherwise start gameservers that
/// ignore SIGTERM too, and every stop would wait for SIGKILL.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    private(set) var exitStatus: Int32?

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `arguments[0]` (looked up on PATH when it has no slash) with stdin and stdout on
    /// /dev/null; stderr is shared with gamefleet so gameserver messages reach its log.
    init(arguments: [String]) throws {
        guard let executable = arguments.first else { throw SpawnError(description: "empty command") }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let result = executable.contains("/")
            ? posix_spawn(&child, executable, &actions, &attributes, &argv, environ)
            : posix_spawnp(&child, executable, &actions, &attributes, &argv, environ)
        guard result == 0 else {
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        pid = child
    }

    /// True until the child has exited (and been reaped).
    var isRunning: Bool {
        if exitStatus != nil { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid || (result < 0 && errno == ECHILD) {
            exitStatus = result == pid ? status : -1
            return false
        }
        return true
    }

    /// A readable account of how it ended, e.g. `exit 1` or `signal 9`.
    var howItEnded: String {
        guard let status = exitStatus else { return "running" }
        if status < 0 { return "unknown" }
        let signal = status & 0x7f
        return signal == 0 ? "exit \((status >> 8) & 0xff)" : "signal \(signal)"
    }

    func send(_ signal: Int32) {
        guard exitStatus == nil else { return }
        kill(pid, signal)
    }

    /// Blocks until the child exits.
    func waitForExit() {
        guard exitStatus == nil else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        exitStatus = status
    }
}
