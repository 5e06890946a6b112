import Synchronization

/// Wakes the reconcile loop out of its pause so a pass runs at once: the lease keeper pulls it when
/// this replica becomes leader, so a new leader acts without waiting out the rest of an interval.
/// Pulls that come while no one waits are kept as one (never queued), so a burst of them costs at
/// most one extra pass, and the rate of passes stays bounded by how often the role can change.
public final class PassTrigger: Sendable {
    struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    /// Wakes the waiter, or, with none, makes the next ``wait()`` return at once.
    public func pull() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next ``pull()`` (at once when one is pending), or when the task is cancelled.
    /// One waiter at a time (the reconcile loop).
    public func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }  // a pending pull is left for the next wait
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
