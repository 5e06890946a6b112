import Foundation

/// The signing instant written the two ways SigV4 uses it, always in UTC.
///
/// Made from an injected `Date`, never from the clock, so a signature is a pure function of
/// its inputs. Fractions of a second are dropped (rounded down), as AWS timestamps have none.
public struct SigningTime: Sendable, Equatable {
    /// The ISO 8601 basic timestamp, e.g. `20150830T123600Z`: the `X-Amz-Date` value.
    public let amzDate: String
    /// The date alone, e.g. `20150830`: the first part of the credential scope.
    public let dateStamp: String

    /// Formats `date` in UTC.
    public init(_ date: Date) {
        let parts = Self.utcCalendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second],
            from: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        )
        let day = Self.pad(parts.year ?? 0, 4) + Self.pad(parts.month ?? 0, 2) + Self.pad(parts.day ?? 0, 2)
        let time = Self.pad(parts.hour ?? 0, 2) + Self.pad(parts.minute ?? 0, 2) + Self.pad(parts.second ?? 0, 2)
        self.dateStamp = day
        self.amzDate = day + "T" + time + "Z"
    }

    /// A Gregorian calendar pinned to UTC, so the host's time zone and locale cannot leak in.
    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        return calendar
    }()

    /// `number` in decimal, left-padded with zeros to `width` digits.
    private static func pad(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
