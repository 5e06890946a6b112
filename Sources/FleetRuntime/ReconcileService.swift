import FleetCore
import Logging
import ServiceLifecycle

/// Runs a reconcile pass every `gameserver.health.interval` (read afresh from the running spec each
/// time, so a reload changes it), and sooner after a pass that a cap cut short: at once, or when the
/// backoff of the action kinds it planned ends (see ``ActionBackoff``), never later than the interval.
public struct ReconcileService: Service {
    let reconciler: Reconciler
    let fleet: FleetState
    let clock: any Clock<Duration>
    let logger: Logger

    public init(reconciler: Reconciler, fleet: FleetState, clock: any Clock<Duration> = ContinuousClock(), logger: Logger) {
        self.reconciler = reconciler
        self.fleet = fleet
        self.clock = clock
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
                do {
                    try await clock.sleep(for: pause)
                } catch {
                    return  // cancelled: shutting down
                }
            }
        }
    }
}
