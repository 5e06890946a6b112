import Foundation

/// One entry of `scaling.schedule`: a known event (a tournament at 20:00 every Friday) during which
/// the fleet keeps a floor of free slots or of active servers, whatever the policy.
///
/// The window opens at each time ``cron`` fires, as a wall clock in ``timeZone`` reads it, and
/// lasts ``duration``. Pre-warming opens it early by the lead the caller gives (one measured
/// startup time), so the servers are up when the players come. Wall-clock minutes that a
/// daylight-saving change skips never fire; minutes it repeats fire twice, as in cron.
public struct ScheduleWindow: Sendable, Equatable {
    public var cron: CronExpression
    /// The time zone the cron expression is read in (an IANA name such as `Europe/Paris`).
    public var timeZone: TimeZone
    /// How long the window lasts from each firing (more than 0).
    public var duration: Duration
    /// Free slots to keep during the window; nil when the entry sets servers instead.
    public var minFreeSlots: Int?
    /// Active servers to keep during the window; nil when the entry sets free slots instead.
    public var minServers: Int?

    public init(cron: CronExpression, timeZone: TimeZone, duration: Duration, minFreeSlots: Int? = nil, minServers: Int? = nil) {
        self.cron = cron
        self.timeZone = timeZone
        self.duration = duration
        self.minFreeSlots = minFreeSlots
        self.minServers = minServers
    }

    /// The longest window fleet.yaml accepts: a week.
    public static let longestDuration: Duration = .seconds(7 * 86_400)
    /// The longest pre-warm lead looked back over, so a pass never scans more than about eight days.
    public static let longestLead: Double = 86_400

    /// When the window covering `now` (opened `lead` seconds early) fired, or nil when `now` is in
    /// no window. The most recent firing wins when windows overlap.
    public func firing(covering now: Date, lead: Double) -> Date? {
        let lead = min(max(lead, 0), Self.longestLead)
        // Firings f with f - lead <= now < f + duration, walked newest first, whole minutes.
        let latest = Int((now.timeIntervalSince1970 + lead).rounded(.down)).floorDiv(60)
        let earliest = Int((now.timeIntervalSince1970 - duration.seconds).rounded(.down)).floorDiv(60) + 1
        guard latest >= earliest else { return nil }
        var offsetQuarter = Int.min
        var offset = 0
        var minute = latest
        while minute >= earliest {
            // Offsets change on quarter-hour boundaries in every zone in use: look each up once.
            let quarter = minute.floorDiv(15)
            if quarter != offsetQuarter {
                offsetQuarter = quarter
                offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(quarter * 15 * 60)))
            }
            let local = CivilTime(secondsSinceEpoch: minute * 60 + offset)
            if cron.matches(month: local.month, day: local.day, weekday: local.weekday, hour: local.hour, minute: local.minute) {
                return Date(timeIntervalSince1970: Double(minute * 60))
            }
            minute -= 1
        }
        return nil
    }

    /// The entry as fleet.yaml writes it, for plan lines: `'0 20 * * 5' Europe/Paris for 2h`.
    public var label: String {
        "'\(cron.text)' \(timeZone.identifier) for \(DurationText.format(duration))"
    }
}

/// A wall-clock time worked out from seconds since 1970 by arithmetic alone (the proleptic
/// Gregorian calendar), so no calendar library is needed.
struct CivilTime: Equatable {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int
    /// 0 is Sunday.
    var weekday: Int

    init(secondsSinceEpoch: Int) {
        let days = secondsSinceEpoch.floorDiv(86_400)
        let secondOfDay = secondsSinceEpoch - days * 86_400
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
        // 1970-01-01 was a Thursday (4).
        weekday = (days % 7 + 11) % 7
        // Days to civil date (Howard Hinnant's algorithm, written out for eras of 400 years).
        let z = days + 719_468
        let era = z.floorDiv(146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }
}

extension Int {
    /// Division rounding toward negative infinity (times before 1970 are negative).
    func floorDiv(_ divisor: Int) -> Int {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
