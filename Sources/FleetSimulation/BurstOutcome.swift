import FleetCore
import Foundation

/// One burst of a trace and how many of its players the fleet sent to the backup: the report's
/// answer to "are bursts that come back met better than the first?".
///
/// Bursts are found by the rule the fleet learns them by (``FleetCore/SeasonalProfile``: minutes
/// in a row well above the baseline), run over the trace's own arrivals, so the report and the
/// policy agree on what a burst is. A burst's players are those arriving from its first minute to
/// two minutes after its last (players just after a burst meet the fleet it left).
public struct BurstOutcome: Sendable, Equatable, Codable {
    /// The burst's first minute in the trace.
    public var minute: Int
    /// How many minutes in a row it lasted.
    public var minutes: Int
    /// Players arriving in its minutes and the two after.
    public var arrivals: Int
    /// Of them, players sent to the backup (or refused).
    public var sentToBackup: Int

    /// ``sentToBackup`` as a percentage of ``arrivals``.
    public var backupPercent: Double {
        arrivals > 0 ? (Double(sentToBackup) / Double(arrivals) * 10_000).rounded() / 100 : 0
    }

    /// The trace's bursts: (first minute, minutes), in order.
    public static func bursts(in trace: Trace) -> [(minute: Int, minutes: Int)] {
        let epoch = Date(timeIntervalSince1970: 0)
        var profile = SeasonalProfile(at: epoch)
        for (minute, arrivals) in trace.arrivals.enumerated() {
            profile.count(requests: arrivals, from: epoch.addingTimeInterval(Double(minute) * 60),
                          to: epoch.addingTimeInterval(Double(minute + 1) * 60))
        }
        // One more quiet minute closes a burst that runs to the end of the trace.
        profile.count(requests: 0, from: epoch.addingTimeInterval(Double(trace.minutes) * 60), to: epoch.addingTimeInterval(Double(trace.minutes + 1) * 60))
        var all = profile.bursts
        if let open = profile.open { all.append(open) }
        return all.map { (Int($0.start.timeIntervalSince1970 / 60), $0.minutes) }.filter { $0.0 < trace.minutes }
    }

    /// Each burst of `trace` with the players `backupByMinute` says went to the backup.
    public static func outcomes(trace: Trace, backupByMinute: [Int]) -> [BurstOutcome] {
        bursts(in: trace).map { burst in
            let range = burst.minute..<min(trace.minutes, burst.minute + burst.minutes + 2)
            let arrivals = range.reduce(0) { $0 + trace.arrivals[$1] }
            let backup = range.reduce(0) { $0 + ($1 < backupByMinute.count ? backupByMinute[$1] : 0) }
            return BurstOutcome(minute: burst.minute, minutes: burst.minutes, arrivals: arrivals, sentToBackup: backup)
        }
    }

    /// Players to the backup over every burst after the first `skipping`, as a percentage of their
    /// arrivals; nil when there are none.
    public static func share(of bursts: [BurstOutcome], after skipping: Int) -> Double? {
        let later = bursts.dropFirst(skipping)
        let arrivals = later.reduce(0) { $0 + $1.arrivals }
        guard arrivals > 0 else { return nil }
        return (Double(later.reduce(0) { $0 + $1.sentToBackup }) / Double(arrivals) * 10_000).rounded() / 100
    }
}
