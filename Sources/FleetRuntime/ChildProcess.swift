import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A gameserver process: one gamefleet started (a child), or one a previous gamefleet started and
/// this one adopted from the state file (see ``LocalStateFile``).
///
/// Started children come from posix_spawn with default signal dispositions and an empty signal mask:
/// Foundation's `Process` passes on whatever the parent has, and a service that traps SIGTERM for
/// graceful shutdown (ServiceLifecycle sets it to ignored) would otherwise start gameservers that
/// ignore SIGTERM too. They also get none of gamefleet's descriptors beyond stdio (see ``init(arguments:)``).
///
/// An adopted process is not our child: `waitpid` cannot see it, so its exit is seen through
/// ``ProcessIdentity/isRunning`` (pid alive and the same start time), and no signal is ever sent to a
/// pid that has since been given to another process.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    /// Pid and start time, for the state file; nil only when /proc could not be read at spawn.
    let identity: ProcessIdentity?
    /// True when a previous gamefleet started it and this one adopted it.
    let adopted: Bool
    private(set) var exitStatus: Int32?

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `arguments[0]` (looked up on PATH when it has no slash) with stdin and stdout on
    /// /dev/null; stderr is shared with gamefleet so gameserver messages reach its log.
    ///
    /// Every other descriptor is closed in the child before exec
    /// (`posix_spawn_file_actions_addclosefrom_np`, glibc 2.34+, which uses `close_range`; see
    /// ``markInheritedDescriptorsCloseOnExec()`` for older C libraries). The close
    /// happens in the child's own copy of the descriptor table, after it was copied, so a socket
    /// another thread opens at the same moment is closed too: walking /proc/self/fd in the parent and
    /// adding a close per descriptor would race with such threads, and marking descriptors
    /// close-on-exec one by one would too.
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
        if let addCloseFrom = Self.addCloseFrom {
            let closing = addCloseFrom(&actions, 3)
            guard closing == 0 else {
                throw SpawnError(description: "cannot start \(executable): cannot arrange to close inherited descriptors: \(String(cString: strerror(closing)))")
            }
        } else {
            Self.markInheritedDescriptorsCloseOnExec()
        }

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
        adopted = false
        // Our child cannot vanish before we reap it, so its /proc entry is there to read.
        identity = ProcessIdentity.current(pid: child)
    }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+). Swift's Glibc module does not export
    /// it, so it is looked up by name; nil on an older C library.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// The fallback for a C library without `addclosefrom`: marks every descriptor above stderr
    /// close-on-exec in gamefleet itself (gamefleet never hands a descriptor to a gameserver, so the
    /// mark can stay). A descriptor another thread opens without O_CLOEXEC between this scan and
    /// the spawn can still leak; `addclosefrom` has no such window.
    private static func markInheritedDescriptorsCloseOnExec() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for name in names {
            guard let fd = Int32(name), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 && flags & FD_CLOEXEC == 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// Takes over a process a previous gamefleet started. The caller has checked that `identity` is
    /// running (``ProcessIdentity/isRunning``).
    init(adopting identity: ProcessIdentity) {
        pid = identity.pid
        self.identity = identity
        adopted = true
    }

    /// True until the process has exited (and, for a child, been reaped).
    var isRunning: Bool {
        if exitStatus != nil { return false }
        if adopted {
            guard let identity, identity.isRunning else {
                exitStatus = -1
                return false
            }
            return true
        }
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
        if status < 0 { return adopted ? "status unknown: adopted, not our child" : "unknown" }
        let signal = status & 0x7f
        return signal == 0 ? "exit \((status >> 8) & 0xff)" : "signal \(signal)"
    }

    /// Sends `signal`, unless the process has exited; for an adopted process, only while its pid
    /// still names the same process.
    func send(_ signal: Int32) {
        guard exitStatus == nil else { return }
        if adopted && !isRunning { return }
        kill(pid, signal)
    }

    /// Blocks until the process exits. An adopted process cannot be waited for, so it is polled.
    func waitForExit() {
        guard exitStatus == nil else { return }
        if adopted {
            while isRunning { usleep(10_000) }
            return
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        exitStatus = status
    }
}
