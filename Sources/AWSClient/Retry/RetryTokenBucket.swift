/// The retry quota shared by all calls of one client: a retry must take tokens from it, and
/// successes put tokens back. While it is short of tokens calls are not retried, so a failing
/// endpoint sees one attempt per call rather than ``RetryPolicy/maxAttempts``.
public actor RetryTokenBucket {
    /// The most tokens the bucket holds; it starts full.
    public let capacity: Int
    /// The tokens there now.
    public private(set) var available: Int

    /// Creates a full bucket of `capacity` tokens.
    public init(capacity: Int) {
        self.capacity = max(0, capacity)
        self.available = max(0, capacity)
    }

    /// Takes `cost` tokens if there are that many and returns `true`; otherwise takes nothing
    /// and returns `false`.
    public func acquire(_ cost: Int) -> Bool {
        guard cost <= available else { return false }
        available -= cost
        return true
    }

    /// Puts `amount` tokens back, never past ``capacity``.
    public func refund(_ amount: Int) {
        available = min(capacity, available + max(0, amount))
    }
}
