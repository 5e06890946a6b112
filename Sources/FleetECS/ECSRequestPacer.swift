import FleetCore
import Synchronization

/// Paces the provider's ECS and EC2 calls to ``ECSRateLimits``: each call takes a token from each of its
/// buckets, and when a bucket is empty the call waits, on the injected clock, until its token is
/// there. Callers queue (a token is reserved before the wait), so a burst of 150 RunTask calls
/// goes out as 100 at once and then 40 a second, in order, none of them throttled.
///
/// What the waits came to is kept per bucket for logs and metrics (``pacedSeconds``), and per
/// unit of work through ``PacingTally`` (the provider tells each action how long it was held).
public final class ECSRequestPacer: Sendable {
    let limits: ECSRateLimits
    private let now: @Sendable () -> Double
    private let sleep: @Sendable (Duration) async throws -> Void
    private let state: Mutex<(buckets: [ECSRateLimits.Bucket: TokenBucket], paced: [String: Double])>

    /// A pacer over `clock` (a test passes a virtual one).
    public init<C: Clock>(limits: ECSRateLimits = .documented, clock: C) where C.Duration == Duration {
        self.limits = limits
        let origin = clock.now
        now = { Self.seconds(origin.duration(to: clock.now)) }
        sleep = { try await clock.sleep(for: $0) }
        state = Mutex(([:], [:]))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Seconds of waiting so far, by bucket name.
    public var pacedSeconds: [String: Double] { state.withLock { $0.paced } }

    /// Waits for a token of each bucket of `operation` (`instances` tokens of a bucket that
    /// counts instances, EC2's resource buckets). Throws only when the wait is cancelled.
    func admit(_ operation: String, fargate: Bool = false, instances: Int = 1) async throws {
        let buckets = limits.buckets(for: operation, fargate: fargate)
        guard !buckets.isEmpty else { return }
        let time = now()
        let (wait, by) = state.withLock { state -> (Double, ECSRateLimits.Bucket?) in
            var longest = 0.0
            var by: ECSRateLimits.Bucket?
            for bucket in buckets {
                var tokens = state.buckets[bucket] ?? TokenBucket(burst: bucket.burst, now: time)
                let wait = tokens.reserve(bucket.countsInstances ? instances : 1, perSecond: bucket.perSecond, burst: bucket.burst, now: time)
                state.buckets[bucket] = tokens
                if wait > longest { longest = wait; by = bucket }
            }
            if let by { state.paced[by.name, default: 0] += longest }
            return (longest, by)
        }
        guard wait > 0, let by else { return }
        PacingTally.current?.add(seconds: wait, by: by)
        // A millisecond over, so the token is surely back by ECS's reckoning too.
        try await sleep(.milliseconds(Int64((min(wait, 3600) * 1000).rounded(.up)) + 1))
    }
}
