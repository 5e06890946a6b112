import FleetCore
import Logging
import ServiceLifecycle

/// Runs a reconcile pass every `gameserver.health.interval` (read afresh from the running spec each
/// time, so a reload changes it), and sooner after a pass that a cap cut short: at once, or when the
/// backoff of the action kinds it planned ends (see ``ActionBackoff``), never later than the interval.
/// With `wake` (high availability), a pull ends the pause early: the lease keeper pulls it when
/// this replica becomes leader, so its first pass as leader starts at once.
public struct ReconcileService: Service {
    let reconciler: Reconciler
    let fleet: FleetState
    let clock: any Clock<Duration>
    let wake: PassTrigger?
    let logger: Logger

    public init(reconciler: Reconciler, fleet: FleetState, clock: any Clock<Duration> = ContinuousClock(), wake: PassTrigger? = nil, logger: Logger) {
        self.reconciler = reconciler
        self.fleet = fleet
        self.clock = clock
        self.wake = wake
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let report = await reconciler.pass()
                let interval = await fleet.spec.gameserver.health.interval
                let pause = report.pause(interval: interval)
                if report.requeueSoon {
                    logger.info("the pass was cut short by a cap; the next one starts \(pause == .zero ? "now" : "in \(DurationText.format(pause)) (failed actions are backing off)")")
                }
                if pause == .zero {
                    await Task.yield()
                    continue
                }
                if await !pauseOrWake(pause) { return }  // cancelled: shutting down
            }
        }
    }

    /// Sleeps for `pause`, or less when ``wake`` is pulled meanwhile. False when cancelled.
    func pauseOrWake(_ pause: Duration) async -> Bool {
        guard let wake else {
            do {
                try await clock.sleep(for: pause)
                return true
            } catch {
                return false
            }
        }
        let clock = self.clock, logger = self.logger
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(for: pause) }
            group.addTask {
                await wake.wait()
                if !Task.isCancelled { logger.info("this replica now leads: passing at once instead of waiting out the interval") }
            }
            await group.next()
            group.cancelAll()
        }
        return !Task.isCancelled
    }
}
