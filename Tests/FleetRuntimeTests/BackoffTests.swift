import FleetCore
import FleetRuntime
import Foundation
import Testing

/// ``ActionBackoff`` on its own, and as the reconciler applies it.
@Suite("Action backoff")
struct BackoffTests {
    /// A server that succeeds again ends the backoff; a pass that is not cut short keeps the interval.
    @Test func aSuccessEndsTheBackoffAndTheRequeueComesAtOnceAgain() async {
        let clock = VirtualClock(origin: t0)
        let provider = FakeProvider()
        await provider.set(failKinds: [.launch])
        let state = makeFleetState(localSpec(min: 3, maxLaunches: 1))
        let reconciler = Reconciler(provider: provider, prober: FakeProber(), fleet: state, logger: quietLogger(), now: { clock.date })
        let interval = Duration.seconds(10)
        let first = await reconciler.pass()
        #expect(first.requeueSoon)
        #expect(first.pause(interval: interval) > .zero)
        #expect(first.pause(interval: interval) <= .seconds(1))
        clock.advance(by: .seconds(1))
        let second = await reconciler.pass()
        #expect(second.pause(interval: interval) > .zero)
        #expect(second.pause(interval: interval) <= .seconds(2))
        #expect(await state.backoff.first?.consecutiveFailures == 2)
        await provider.set(failKinds: [])
        clock.advance(by: .seconds(2))
        let third = await reconciler.pass()
        #expect(third.requeueSoon)
        #expect(third.pause(interval: interval) == .zero)
        #expect(await state.backoff.isEmpty)
    }

    struct BackoffCase: CustomTestStringConvertible, Sendable {
        var name: String
        var failures: Int
        var jitter: Double
        var cap: Duration
        var expected: Duration
        var testDescription: String { name }
    }

    @Test(arguments: [
        BackoffCase(name: "first failure, no jitter: half the base", failures: 1, jitter: 0, cap: .seconds(10), expected: .milliseconds(500)),
        BackoffCase(name: "first failure, full jitter: the base", failures: 1, jitter: 0.999_999_999, cap: .seconds(10), expected: .seconds(1)),
        BackoffCase(name: "third failure doubles twice", failures: 3, jitter: 0.5, cap: .seconds(10), expected: .seconds(3)),
        BackoffCase(name: "capped at the interval", failures: 8, jitter: 0.999_999_999, cap: .seconds(10), expected: .seconds(10)),
        BackoffCase(name: "a cap below the base wins", failures: 1, jitter: 0.999_999_999, cap: .milliseconds(200), expected: .milliseconds(200)),
        BackoffCase(name: "a huge count never overflows", failures: Int.max, jitter: 0, cap: .seconds(10), expected: .seconds(5)),
    ])
    func backoffDelay(_ c: BackoffCase) {
        let backoff = ActionBackoff(base: .seconds(1), jitter: { c.jitter })
        let delay = backoff.delay(afterFailures: c.failures, cap: c.cap)
        #expect(abs((delay - c.expected).seconds) < 0.000_001, "\(delay)")
    }

    @Test func backoffIsPerKind() {
        var backoff = ActionBackoff(base: .seconds(1), jitter: { 0 })
        let launch = Action.launch("td", code: .belowUpscaleMargin, reason: "more room")
        let stop = Action(kind: .stop, server: "s1", code: .readyToClose, reason: "idle")
        backoff.record([ActionOutcome(action: launch, error: "RunTask: 500"), ActionOutcome(action: stop)], at: t0, cap: .seconds(10))
        backoff.record([ActionOutcome(action: launch, error: "RunTask: 500")], at: t0, cap: .seconds(10))
        #expect(backoff.snapshot.map(\.kind) == [.launch])
        #expect(backoff.snapshot.first?.consecutiveFailures == 2)
        #expect(backoff.wait(for: [.launch], at: t0) == .seconds(1))
        #expect(backoff.wait(for: [.stop], at: t0) == .zero)
        #expect(backoff.wait(for: [.launch], at: t0.addingTimeInterval(5)) == .zero)
    }

}
