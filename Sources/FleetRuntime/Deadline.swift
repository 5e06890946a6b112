import Synchronization

/// Runs `operation` with a time limit on `clock`: its result when it finishes in time, nil when
/// `limit` passes first or the caller is cancelled.
///
/// On time-out the operation is cancelled and left to wind down on its own: the caller returns at
/// once even when the operation ignores cancellation (a read stuck on a server that drips its bytes),
/// which a task group, that always waits for its children, could not promise.
public func withDeadline<T: Sendable>(
    _ limit: Duration, clock: any Clock<Duration>, _ operation: @escaping @Sendable () async -> T
) async -> T? {
    let race = DeadlineRace<T>()
    return await withTaskCancellationHandler {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            guard race.arm(continuation) else { return }
            let work = Task { race.finish(await operation()) }
            let timer = Task {
                try? await clock.sleep(for: limit)
                race.finish(nil)
            }
            race.hold(work, timer)
        }
    } onCancel: {
        race.finish(nil)
    }
}

/// The state of one ``withDeadline(_:clock:_:)`` call: whichever of the operation, the timer and
/// cancellation comes first resumes the caller; the other two find the race over and do nothing.
final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T?, Never>?
        var over = false
        var tasks: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Stores the caller's continuation; false (and the continuation resumed with nil) when the
    /// race was already over, because the caller was cancelled before it started.
    func arm(_ continuation: CheckedContinuation<T?, Never>) -> Bool {
        let over = state.withLock { state in
            if state.over { return true }
            state.continuation = continuation
            return false
        }
        if over { continuation.resume(returning: nil) }
        return !over
    }

    /// Keeps the operation and timer tasks so the end of the race cancels them both.
    func hold(_ tasks: Task<Void, Never>...) {
        let over = state.withLock { state in
            if !state.over { state.tasks = tasks }
            return state.over
        }
        if over { tasks.forEach { $0.cancel() } }
    }

    /// Ends the race with `value` if it is still running.
    func finish(_ value: T?) {
        let (continuation, tasks) = state.withLock { state -> (CheckedContinuation<T?, Never>?, [Task<Void, Never>]) in
            guard !state.over else { return (nil, []) }
            state.over = true
            defer { state.continuation = nil; state.tasks = [] }
            return (state.continuation, state.tasks)
        }
        tasks.forEach { $0.cancel() }
        continuation?.resume(returning: value)
    }
}
