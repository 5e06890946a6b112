import FleetRuntime
import Foundation
import TestSupport
import Testing

/// ``withDeadline(_:clock:_:)``: the caller gets an answer in time, whatever the operation does.
@Suite("withDeadline")
struct DeadlineTests {
    @Test func aFastOperationGivesItsValue() async {
        let value = await withDeadline(.seconds(30), clock: ContinuousClock()) { 42 }
        #expect(value == 42)
    }

    /// The operation ignores cancellation and would run for 40 s (the leftover task ends on its own, asleep meanwhile); the caller still returns at
    /// the deadline (generous bound: well under the minute).
    @Test func anOperationDeafToCancellationIsLeftBehind() async {
        let started = ContinuousClock.now
        let value = await withDeadline(.milliseconds(100), clock: ContinuousClock()) { () -> Int in
            let end = ContinuousClock.now + .seconds(40)
            // A sleep in a task of its own: cancelling the operation does not reach it.
            while ContinuousClock.now < end { await Task { try? await Task.sleep(for: .milliseconds(20)) }.value }
            return 1
        }
        #expect(value == nil)
        #expect(ContinuousClock.now - started < .seconds(30))
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
