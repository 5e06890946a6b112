import Foundation
import Glibc

/// Starting child processes from tests that run side by side in one process.
///
/// Tests never use Foundation's `Process`: it closes the parent's descriptors by listing them before
/// it spawns, so a descriptor another test's thread opens meanwhile reaches the child (see
/// ``Child``), and it learns of an exit through a socket the child inherits, so a child's own
/// children can make it look alive for good. A child to wait for runs through
/// ``Spawn/run(_:_:environment:directory:)``, one to keep running is a ``Child``: both posix_spawn
/// with every other descriptor closed in the child, and waitpid for the exit. The pipes either
/// makes are created close-on-exec under this lock.
public let processStartLock = NSLock()

public enum Spawn {
    /// posix_spawn under the start lock, the child starting as a shell would start it: no signal
    /// blocked and every signal at its default action. Threads of the test runner block signals
    /// (SIGCHLD, SIGTERM among them) and a child inherits the mask: a shell whose SIGCHLD stays
    /// blocked waits in its `wait` builtin for good.
    static func spawn(_ pid: inout pid_t, _ executable: String, _ actions: inout posix_spawn_file_actions_t,
                      _ argv: [UnsafeMutablePointer<CChar>?], _ env: [UnsafeMutablePointer<CChar>?]) -> Int32 {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        return processStartLock.withLock { posix_spawn(&pid, executable, &actions, &attributes, argv, env) }
    }

    /// What a finished child left: its exit status (128 + signal when a signal ended it) and output.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: [UInt8]
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `executable` with `arguments` to its end, reading stdout and stderr as they come (so a
    /// full pipe never stalls it). Blocking: call it through ``offThePool(_:)``.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           directory: String? = nil) throws -> Result {
        // The pipes are made and marked close-on-exec under the start lock, so no process another
        // test starts meanwhile inherits them (their ends would then never report end of file).
        var out: [Int32] = [0, 0], err: [Int32] = [0, 0]
        let piped = processStartLock.withLock { () -> Bool in
            guard pipe(&out) == 0 else { return false }
            guard pipe(&err) == 0 else { close(out[0]); close(out[1]); return false }
            for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return true
        }
        guard piped else { throw Failure(description: "pipe: errno \(errno)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        if let directory {
            guard let addChdir else { throw Failure(description: "this C library cannot start a child in \(directory)") }
            _ = addChdir(&actions, directory)
        }
        if let closeFrom { _ = closeFrom(&actions, 3) }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned: Int32 = spawn(&pid, executable, &actions, argv, env)
        close(out[1]); close(err[1])
        guard spawned == 0 else {
            close(out[0]); close(err[0])
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }

        var stdout: [UInt8] = [], stderr: [UInt8] = []
        var open: [(fd: Int32, isOut: Bool)] = [(out[0], true), (err[0], false)]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !open.isEmpty {
            var fds = open.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            guard poll(&fds, nfds_t(fds.count), -1) >= 0 || errno == EINTR else { break }
            for (index, polled) in fds.enumerated().reversed() where polled.revents != 0 {
                let count = read(polled.fd, &buffer, buffer.count)
                if count > 0 {
                    if open[index].isOut { stdout += buffer[..<count] } else { stderr += buffer[..<count] }
                } else if count == 0 || errno != EINTR {
                    close(polled.fd)
                    open.remove(at: index)
                }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return Result(status: signal == 0 ? (status >> 8) & 0xff : 128 + signal, stdout: stdout, stderr: stderr)
    }

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+), which Swift's Glibc module does not export.
    static let addChdir: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
    }()

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+), which Swift's Glibc module does not
    /// export; without it the child inherits only what is not close-on-exec.
    static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()
}
