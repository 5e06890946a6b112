import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads fleet.yaml on SIGHUP and whenever the file's bytes change on disk (checked every
/// `pollInterval`; polling works for editors that replace the file and for mounted ConfigMaps alike).
public struct ConfigWatchService: Service {
    let reloader: ConfigReloader
    let clock: any Clock<Duration>
    let pollInterval: Duration
    let watchSignals: Bool
    let logger: Logger

    public init(reloader: ConfigReloader, clock: any Clock<Duration> = ContinuousClock(), pollInterval: Duration = .seconds(1),
                watchSignals: Bool = true, logger: Logger) {
        self.reloader = reloader
        self.clock = clock
        self.pollInterval = pollInterval
        self.watchSignals = watchSignals
        self.logger = logger
    }

    public func run() async throws {
        let reloader = self.reloader
        let logger = self.logger
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                if watchSignals {
                    group.addTask {
                        let signals = await UnixSignalsSequence(trapping: .sighup)
                        for await _ in signals {
                            logger.info("SIGHUP: reloading \(reloader.path)")
                            await reloader.reload()
                        }
                    }
                }
                group.addTask {
                    // Start from the bytes the running config was parsed from, so an edit made
                    // between loading and this service starting is not missed.
                    var lastSeen: String? = await reloader.runningHash()
                    while !Task.isCancelled {
                        do { try await clock.sleep(for: pollInterval) } catch { return }
                        let current = Self.fingerprint(reloader.path)
                        if current != lastSeen {
                            lastSeen = current
                            logger.info("\(reloader.path) changed on disk: reloading")
                            await reloader.reload()
                        }
                    }
                }
                await group.waitForAll()
            }
        }
    }

    static func fingerprint(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { FleetRuntime.contentHash($0) }
    }
}
