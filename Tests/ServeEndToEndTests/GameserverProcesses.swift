import Foundation
import Glibc

/// The `sample-gameserver` processes on this machine, read from /proc, so a test can tell whether
/// the gameservers gamefleet started are still alive, including ones no snapshot ever showed.
enum GameserverProcesses {
    /// True when `pid` is a live (not zombie) `sample-gameserver`. Checking the command line guards
    /// against a recycled pid; a zombie has exited and only waits to be reaped, so it counts as gone.
    static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let arguments = commandLine(of: pid), arguments.first?.hasSuffix("sample-gameserver") == true else {
            return false
        }
        return state(of: pid) != "Z"
    }

    /// Live `sample-gameserver` processes started with `--port N` for N in `ports`.
    static func running(onPorts ports: ClosedRange<Int>) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let arguments = commandLine(of: pid), arguments.first?.hasSuffix("sample-gameserver") == true,
                  let flag = arguments.firstIndex(of: "--port"), flag + 1 < arguments.count,
                  let port = Int(arguments[flag + 1]), ports.contains(port) else { return false }
            return isAlive(pid)
        }.sorted()
    }

    /// Sends SIGKILL to every pid still alive; returns those it killed.
    @discardableResult
    static func killAll(_ pids: some Sequence<pid_t>) -> [pid_t] {
        var killed: [pid_t] = []
        for pid in Set(pids).sorted() where isAlive(pid) {
            kill(pid, SIGKILL)
            killed.append(pid)
        }
        return killed
    }

    static func commandLine(of pid: pid_t) -> [String]? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The state letter of /proc/PID/stat (R, S, Z, ...), read after the parenthesised command name.
    static func state(of pid: pid_t) -> Character? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].first { $0 != " " }
    }
}
