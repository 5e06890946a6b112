import FleetCore
import Logging
import ServiceLifecycle

/// Runs ``LeaseKeeper/round()`` every renew interval (a third of the lease), and on graceful
/// shutdown releases the lease so a follower takes over at once.
public struct LeaseService: Service {
    let keeper: LeaseKeeper
    let clock: any Clock<Duration>
    let logger: Logger

    public init(keeper: LeaseKeeper, clock: any Clock<Duration> = ContinuousClock(), logger: Logger) {
        self.keeper = keeper
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await keeper.round()
                do {
                    try await clock.sleep(for: keeper.renewInterval)
                } catch {
                    return
                }
            }
        }
        await keeper.release()
    }
}
