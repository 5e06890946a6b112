import FleetCore
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Reads fleet.yaml's source again every `pollInterval` and at once on SIGHUP, and hands each new
/// version to the ``ConfigReloader`` (the one place a version is judged, whatever the source).
///
/// - A file is read whole at every poll (1 s by default) and a version is its bytes' hash; polling
///   works for editors that replace the file and for mounted ConfigMaps alike.
/// - An SSM parameter or S3 object is polled at `--config-poll` (30 s by default): S3 answers 304
///   to `If-None-Match` with the last entity tag; a parameter whose version number did not move is
///   not parsed again.
/// - A version seen once is judged once: a refused version is not refused again at every poll (a
///   SIGHUP judges the current one again).
/// - A source that cannot be read (deleted, throttled, access denied, unreachable) keeps the
///   running config. After `n` failed reads in a row the next waits `pollInterval × 2^n`, capped
///   at 10 × `pollInterval`, the upper half random (``ActionBackoff``'s rule); `/v1/fleet` shows
///   it under `config.readError` with the next read's time, and the log says so at each failure.
///   The fleet keeps running on the running config however long the source stays unreadable.
public struct ConfigWatchService: Service {
    let reloader: ConfigReloader
    let clock: any Clock<Duration>
    let pollInterval: Duration
    let watchSignals: Bool
    let backoff: ActionBackoff
    /// Pulled on SIGHUP (and by tests): ends the pause and reads the source unconditionally.
    public let wake: PassTrigger
    let logger: Logger

    public init(reloader: ConfigReloader, clock: any Clock<Duration> = ContinuousClock(), pollInterval: Duration = .seconds(1),
                watchSignals: Bool = true, wake: PassTrigger = PassTrigger(),
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, logger: Logger) {
        self.reloader = reloader
        self.clock = clock
        self.pollInterval = pollInterval
        self.watchSignals = watchSignals
        self.backoff = ActionBackoff(base: pollInterval, jitter: jitter)
        self.wake = wake
        self.logger = logger
    }

    /// The pause before the next read after `failures` failed reads in a row (0: the poll interval).
    public func pause(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return pollInterval }
        return backoff.delay(afterFailures: failures + 1, cap: pollInterval * 10)
    }

    /// What the watcher last saw of the source: the version it judged (accepted or refused).
    struct Seen: Equatable {
        var version: String?
        var hash: String
    }

    public func run() async throws {
        let reloader = self.reloader, logger = self.logger, wake = self.wake
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                if watchSignals {
                    group.addTask {
                        let signals = await UnixSignalsSequence(trapping: .sighup)
                        for await _ in signals {
                            logger.info("SIGHUP: reading \(reloader.path) again")
                            wake.pull()
                        }
                    }
                }
                group.addTask { await self.poll() }
                await group.waitForAll()
            }
        }
    }

    /// The polling loop; returns when cancelled.
    func poll() async {
        // Start from the version the running config was read from, so a change made between
        // loading and this service starting is not missed, and an unchanged one is not re-read.
        let config = await reloader.fleet.config
        var seen = Seen(version: config.version, hash: config.hash)
        var failures = 0
        while !Task.isCancelled {
            guard let forced = await pauseOrWake(pause(afterFailures: failures)) else { return }
            failures = await read(forced: forced, seen: &seen, failures: failures)
        }
    }

    /// One read of the source; answers the failed reads in a row after it.
    func read(forced: Bool, seen: inout Seen, failures: Int) async -> Int {
        let document: ConfigDocument?
        do {
            document = try await reloader.source.fetch(unlessVersion: forced ? nil : seen.version)
        } catch {
            let next = reloader.now().addingTimeInterval(pause(afterFailures: failures + 1).seconds)
            _ = await reloader.readFailed(error, nextAttemptAt: next)
            return failures + 1
        }
        await reloader.readSucceeded()
        guard let document else { return 0 }  // not modified
        let now = Seen(version: document.version, hash: contentHash(document.bytes))
        guard forced || now != seen else { return 0 }
        seen = now
        if !forced { logger.info("\(reloader.path) changed\(document.version.map { " (version \($0))" } ?? ""): reloading") }
        await reloader.apply(document)
        return 0
    }

    /// Sleeps for `pause`, or less when ``wake`` is pulled. True when woken, false when the pause
    /// ran out, nil when cancelled.
    func pauseOrWake(_ pause: Duration) async -> Bool? {
        let clock = self.clock, wake = self.wake
        let woken = await withTaskGroup(of: Bool?.self) { group in
            group.addTask {
                do {
                    try await clock.sleep(for: pause)
                    return false
                } catch {
                    return nil
                }
            }
            group.addTask {
                await wake.wait()
                return Task.isCancelled ? nil : true
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        return Task.isCancelled ? nil : woken
    }
}
