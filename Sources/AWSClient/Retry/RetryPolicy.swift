/// When and how long to wait before trying a failed AWS call again: the AWS SDKs' "standard"
/// retry mode.
///
/// - At most ``maxAttempts`` attempts (3 by default), and only for errors that may go away
///   by themselves (see ``RetryPolicy/Failure``): throttling, 5xx, connection failures and timeouts.
///   A 4xx that is not throttling is the caller's mistake and is never retried.
/// - Before retry *n* (the first retry is 1), a wait drawn uniformly from
///   [0, min(``maxBackoff``, ``baseDelay`` × 2^(n−1))): "full jitter", so clients that failed
///   together do not come back together.
/// - Each retry takes tokens from a ``RetryTokenBucket`` shared by all calls of a client, and
///   none happens when the bucket is short, so an endpoint that keeps failing gets one attempt
///   per call instead of three.
public struct RetryPolicy: Sendable, Equatable {
    /// The most attempts one call makes, the first included; 1 turns retries off.
    public var maxAttempts: Int
    /// The upper bound of the first retry's wait; doubled for each later retry.
    public var baseDelay: Duration
    /// The largest upper bound a wait can have, however many retries came before.
    public var maxBackoff: Duration
    /// The token bucket's size, and how full it starts.
    public var bucketCapacity: Int
    /// Tokens a retry after any retryable error but a timeout takes.
    public var retryCost: Int
    /// Tokens a retry after a timeout takes: more, because a timed-out endpoint is costlier to
    /// keep calling.
    public var timeoutRetryCost: Int
    /// Tokens a call that succeeded at its first attempt puts back. A call that succeeded after
    /// retrying puts back what its last retry took instead.
    public var successRefund: Int

    /// The AWS "standard" mode: 3 attempts, 1 s base, 20 s cap, a 500-token bucket, retries
    /// costing 5 (10 after a timeout), a first-attempt success refunding 1.
    public static let standard = RetryPolicy()

    /// No retries at all: one attempt per call.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Creates a policy; every parameter defaults to the standard mode's value.
    public init(
        maxAttempts: Int = 3,
        baseDelay: Duration = .seconds(1),
        maxBackoff: Duration = .seconds(20),
        bucketCapacity: Int = 500,
        retryCost: Int = 5,
        timeoutRetryCost: Int = 10,
        successRefund: Int = 1
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxBackoff = maxBackoff
        self.bucketCapacity = bucketCapacity
        self.retryCost = retryCost
        self.timeoutRetryCost = timeoutRetryCost
        self.successRefund = successRefund
    }

    /// The exclusive upper bound of the wait before retry number `retry` (1 for the first):
    /// min(``maxBackoff``, ``baseDelay`` × 2^(retry−1)). Retry 0 or less is treated as 1.
    public func backoffBound(beforeRetry retry: Int) -> Duration {
        // Past 2^30 × base the cap has long been reached; stopping the doubling there keeps
        // the multiplication from overflowing.
        let exponent = min(max(retry, 1) - 1, 30)
        let bound = baseDelay * (1 << exponent)
        return min(bound, maxBackoff)
    }

    /// The wait before retry number `retry`: the bound of ``backoffBound(beforeRetry:)``
    /// scaled by `unitRandom`, a number in [0, 1).
    public func backoff(beforeRetry retry: Int, unitRandom: Double) -> Duration {
        let fraction = min(max(unitRandom, 0), 1.0.nextDown)
        return backoffBound(beforeRetry: retry) * fraction
    }

    /// The tokens a retry after `failure` takes, or `nil` when `failure` is not retried at all.
    public func cost(of failure: Failure) -> Int? {
        switch failure {
        case .throttling, .transient: return retryCost
        case .timeout: return timeoutRetryCost
        case .notRetryable: return nil
        }
    }
}
