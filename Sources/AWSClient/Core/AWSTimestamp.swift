import Foundation

/// Reading the ISO 8601 times AWS writes, e.g. `2024-03-15T09:30:45Z` or, from EC2,
/// `2024-03-15T09:30:45.000Z`.
enum AWSTimestamp {
    /// The instant `text` names, with or without fractional seconds, or `nil` if it is not an
    /// ISO 8601 date-time with a zone.
    static func date(from text: String) -> Date? {
        // A formatter per call: ISO8601DateFormatter is not Sendable, and these are parsed a
        // few times per credentials refresh or EC2 answer, not in a hot loop.
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
