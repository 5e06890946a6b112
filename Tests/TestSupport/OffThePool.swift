import Foundation
import Synchronization

/// Runs `work` on a thread of its own and waits for it without holding a thread of Swift's
/// cooperative pool.
///
/// The pool has one thread per core: two on the machines the suite runs on. A test that blocks one
/// of them (waiting for a child process, a blocking socket read, `Thread.sleep`) or computes on it
/// for seconds (a long simulation, thousands of property cases) takes half of what every other test
/// in the process has for its timers, sockets and continuations. Two such tests at once and nothing
/// else runs at all: a 100 ms sleep elsewhere ends seconds late, a loopback request misses its
/// deadline. That is how the suite used to fail "under load" that was only the suite itself.
/// Blocking and long CPU-bound work in tests goes through here; the thread it gets is scheduled by
/// the kernel beside the pool's threads, so it slows the others down, but it never stops them.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        Thread.detachNewThread {
            continuation.resume(with: Result { try work() })
        }
    }
}

/// ``offThePool(_:)`` for work that cannot fail.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        Thread.detachNewThread {
            continuation.resume(returning: work())
        }
    }
}

/// `operation`'s result, or nil when `limit` passes first. The operation is left running (cancelled,
/// but code that never checks keeps going): for a test that must return even when the code under
/// test never does. The limit only bounds how long a hang takes to fail the test; make it generous.
public func raceForTest<T: Sendable>(limit: Duration, _ operation: @escaping @Sendable () async -> T) async -> T? {
    let box = RaceBox<T>()
    let work = Task { box.set(await operation()) }
    let end = ContinuousClock.now + limit
    while ContinuousClock.now < end {
        if let value = box.value { return value }
        try? await Task.sleep(for: .milliseconds(10))
    }
    work.cancel()
    return nil
}

/// The value a raced operation produced, read by the polling test.
private final class RaceBox<T: Sendable>: Sendable {
    private let stored = Mutex<T?>(nil)
    func set(_ value: T) { stored.withLock { $0 = value } }
    var value: T? { stored.withLock { $0 } }
}
