import FleetRuntime
import Foundation
import Synchronization
import TestSupport
import Testing

/// ``withDeadline(_:clock:_:)``: the caller gets an answer in time, whatever the operation does.
@Suite("withDeadline")
struct DeadlineTests {
    @Test func aFastOperationGivesItsValue() async {
        let value = await withDeadline(.seconds(30), clock: ContinuousClock()) { 42 }
        #expect(value == 42)
    }

    /// The operation ignores cancellation and runs until the test releases it (asleep meanwhile, in
    /// a task cancellation does not reach); the caller still returns at the deadline. Had
    /// `withDeadline` waited for the operation, it would not return before the release, which comes
    /// only after: the race's limit then fails the test, however slow the machine.
    @Test func anOperationDeafToCancellationIsLeftBehind() async {
        let released = Mutex(false)
        let value = await raceForTest(limit: .seconds(300)) {
            await withDeadline(.milliseconds(100), clock: ContinuousClock()) { () -> Int in
                while !released.withLock({ $0 }) { await Task { try? await Task.sleep(for: .milliseconds(20)) }.value }
                return 1
            }
        }
        released.withLock { $0 = true }
        #expect(value == .some(nil), "withDeadline answered \(String(describing: value)): it waited for the operation instead of its deadline")
    }

    @Test func aCancelledCallerReturnsAtOnce() async {
        let caller = Task {
            await withDeadline(.seconds(3600), clock: ContinuousClock()) { () -> Int in
                try? await Task.sleep(for: .seconds(3600))
                return 1
            }
        }
        try? await Task.sleep(for: .milliseconds(50))
        caller.cancel()
        let value = await raceForTest(limit: .seconds(30)) { await caller.value }
        #expect(value == .some(nil))
    }
}
