import FleetCore
import Synchronization

/// Per-client token buckets for the allocation routes (`allocation.rateLimit`).
///
/// A client over its limit is answered 429 and gets no reservation, so no caller can hold the
/// fleet's free slots by asking in a loop. Memory is bounded: at most `maxClients` buckets are kept;
/// past that, buckets that have refilled (clients quiet for `burst / perSecond` seconds) are dropped
/// first, and if every bucket is busy the oldest-updated half goes (those clients start full again,
/// which errs on the side of answering players).
///
/// The rate is passed with each request, so a reload that changes `allocation.rateLimit` applies at
/// once to every client's bucket.
public final class AllocationRateLimiter: Sendable {
    let maxClients: Int
    private let buckets: Mutex<[String: TokenBucket]>

    public init(maxClients: Int = 100_000) {
        self.maxClients = max(16, maxClients)
        buckets = Mutex([:])
    }

    /// Takes one token for `client` at `now` (seconds on a monotonic clock). Nil when admitted;
    /// otherwise the seconds to wait before the next request would be.
    public func admit(client: String, now: Double, rate: RateLimitSpec) -> Double? {
        let perSecond = rate.perSecond, burst = max(1, rate.burst)
        return buckets.withLock { buckets in
            if buckets[client] == nil && buckets.count >= maxClients { evict(&buckets, now: now, perSecond: perSecond, burst: burst) }
            var bucket = buckets[client] ?? TokenBucket(burst: burst, now: now)
            let wait = bucket.take(perSecond: perSecond, burst: burst, now: now)
            buckets[client] = bucket
            return wait
        }
    }

    /// Clients with a bucket (for tests and metrics).
    public var trackedClients: Int { buckets.withLock { $0.count } }

    private func evict(_ buckets: inout [String: TokenBucket], now: Double, perSecond: Double, burst: Int) {
        buckets = buckets.filter { !$0.value.isFull(perSecond: perSecond, burst: burst, now: now) }
        guard buckets.count >= maxClients else { return }
        let keep = buckets.sorted { $0.value.updatedAt > $1.value.updatedAt }.prefix(maxClients / 2)
        buckets = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}
