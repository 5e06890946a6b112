import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `<state file>.lock`, held for as long as a gamefleet runs the fleet, so two
/// gamefleets never adopt, and then fight over, the same gameservers.
///
/// The kernel drops the lock when the holder dies in any way (`kill -9` included), so a crash never
/// leaves a stale lock behind. The descriptor is opened close-on-exec, so no gameserver inherits it
/// and keeps the fleet locked after gamefleet is gone. The lock file itself is never removed:
/// removing it while another process waits on it would let two holders in.
final class StateFileLock: @unchecked Sendable {
    let path: String
    private var fd: Int32

    struct Held: Error, CustomStringConvertible {
        var description: String
    }

    /// Takes the lock, or throws naming the lock file (and the holder's pid, which the holder writes
    /// into it) when another process holds it.
    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Held(description: "\(path): cannot open the state lock file: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            fd = -1
            throw Held(description: busy
                ? "\(path): another gamefleet\(holder.isEmpty ? "" : " (pid \(holder))") already runs this fleet's local gameservers; stop it first, or give this fleet its own local.stateFile"
                : "\(path): cannot lock the state lock file: \(reason)")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
    }

    /// Releases the lock; later calls do nothing.
    func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    deinit { release() }
}
