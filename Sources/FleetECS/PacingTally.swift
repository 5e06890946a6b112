import Synchronization

/// How long the calls of one unit of work (a RunTask batch, a stop) were held by the pacer, and
/// by which bucket the longest; bound with ``current`` around the work, read after it.
final class PacingTally: Sendable {
    @TaskLocal static var current: PacingTally?

    private let state = Mutex<(seconds: Double, by: ECSRateLimits.Bucket?, longest: Double)>((0, nil, 0))

    func add(seconds: Double, by bucket: ECSRateLimits.Bucket) {
        state.withLock { state in
            state.seconds += seconds
            if seconds > state.longest { state.longest = seconds; state.by = bucket }
        }
    }

    /// The seconds waited in all, and the bucket of the longest wait; nil when nothing waited.
    var paced: (seconds: Double, by: ECSRateLimits.Bucket)? {
        state.withLock { state in state.by.map { (state.seconds, $0) } }
    }
}
