import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A process as the kernel knows it for its whole life: its pid together with its start time.
///
/// A pid alone names a process only while it lives; once it exits the number is handed out again, so
/// "pid 4242 is alive" says nothing about *which* process that is. The start time (field 22 of
/// `/proc/PID/stat`, in clock ticks since boot) never changes for a process and differs for whatever
/// gets the pid next, so pid + start time (+ the boot it belongs to) names one process for good.
struct ProcessIdentity: Sendable, Equatable, Codable {
    /// The process id.
    var pid: pid_t
    /// Field 22 of `/proc/PID/stat`: when the process started, in clock ticks since boot.
    var startTime: UInt64

    /// The identity of the process that now has `pid`; nil when there is none (or /proc cannot be read).
    /// A zombie (exited, not yet reaped) still has an identity: see ``isRunning``.
    static func current(pid: pid_t) -> ProcessIdentity? {
        guard pid > 0, let stat = StatLine.read(pid: pid), let startTime = stat.startTime else { return nil }
        return ProcessIdentity(pid: pid, startTime: startTime)
    }

    /// True while this very process runs: the pid exists, is not a zombie, and has the same start
    /// time (so a recycled pid reads as "exited"). Works for processes that are not our children,
    /// where `waitpid` cannot be used.
    var isRunning: Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = StatLine.read(pid: pid), stat.startTime == startTime else { return false }
        return stat.state != "Z" && stat.state != "X"
    }

    /// This boot of the machine (`/proc/sys/kernel/random/boot_id`): start times count from boot, so an
    /// identity recorded in another boot names nothing now. Nil when it cannot be read.
    static let bootID: String? = {
        guard let data = FileManager.default.contents(atPath: "/proc/sys/kernel/random/boot_id") else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }()

    /// The fields of `/proc/PID/stat` this type needs. The command name (field 2) is in parentheses and
    /// may itself hold spaces and parentheses, so fields are counted from the *last* `)`.
    struct StatLine {
        /// Field 3: R, S, D, Z (zombie), X (dead), ...
        var state: Character?
        /// Field 22.
        var startTime: UInt64?

        static func read(pid: pid_t) -> StatLine? {
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
            return parse(String(decoding: data, as: UTF8.self))
        }

        static func parse(_ text: String) -> StatLine? {
            guard let close = text.lastIndex(of: ")") else { return nil }
            // After ")": field 3 is the first, so field N is at index N - 3.
            let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 19 else { return nil }
            return StatLine(state: fields[0].first, startTime: UInt64(fields[19]))
        }
    }
}
