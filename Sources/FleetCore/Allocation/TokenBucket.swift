/// A token bucket: holds up to `burst` tokens, gains `perSecond` tokens a second, and each admitted
/// request takes one. Pure: the caller passes the time (seconds on a monotonic clock).
public struct TokenBucket: Sendable, Equatable {
    public private(set) var tokens: Double
    public private(set) var updatedAt: Double

    /// A full bucket at time `now`.
    public init(burst: Int, now: Double) {
        tokens = Double(burst)
        updatedAt = now
    }

    /// Takes one token if there is one. When there is none, returns the seconds until there will be
    /// (never less than a millisecond), and takes nothing.
    public mutating func take(perSecond: Double, burst: Int, now: Double) -> Double? {
        refill(perSecond: perSecond, burst: burst, now: now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        guard perSecond > 0 else { return .infinity }
        return max((1 - tokens) / perSecond, 0.001)
    }

    /// Takes `count` tokens (one unless said; fewer than one counts as one) whether or not they
    /// are there, going into debt when they are not (callers that wait their turn queue up this
    /// way, each behind the last), and returns the seconds until they are really there: 0 when
    /// they were. Infinite when the bucket never refills.
    public mutating func reserve(_ count: Int = 1, perSecond: Double, burst: Int, now: Double) -> Double {
        refill(perSecond: perSecond, burst: burst, now: now)
        tokens -= Double(max(1, count))
        guard tokens < 0 else { return 0 }
        guard perSecond > 0 else { return .infinity }
        return -tokens / perSecond
    }

    /// True when the bucket would be full at `now`: it holds nothing worth remembering.
    public func isFull(perSecond: Double, burst: Int, now: Double) -> Bool {
        tokens + max(0, now - updatedAt) * perSecond >= Double(burst)
    }

    mutating func refill(perSecond: Double, burst: Int, now: Double) {
        // A clock that went backwards (it should not: monotonic) adds nothing.
        let elapsed = max(0, now - updatedAt)
        tokens = min(Double(burst), tokens + elapsed * perSecond)
        updatedAt = max(updatedAt, now)
    }
}
