import Foundation

/// How long recent launches took from launch to their first good probe, kept across passes beside
/// the ``HealthBook`` and the ``FirstSightBook``; it fills in ``ObservedState/startup``.
///
/// Only launches made since `since` (this process's start) count: a server found already running
/// after a restart has its first good probe in this process long after it came up, which says
/// nothing of how long starting takes. Each server gives one sample, the first time it is seen
/// answered; the last ``limit`` samples are kept.
public struct StartupBook: Sendable, Equatable {
    /// Most samples kept (the most recent).
    public static let limit = 50
    /// Launches before this time are not measured.
    public let since: Date
    /// Startup times in seconds, oldest first, at most ``limit``.
    public private(set) var samples: [Double] = []
    /// Servers already measured (so a later good probe does not count again); forgotten when gone.
    private var measured: Set<String> = []

    public init(since: Date) {
        self.since = since
    }

    /// Folds in one pass's servers, their health records already holding this pass's probes.
    /// A server launched at or after `since` gives a sample (its first good probe minus its launch,
    /// at least 0) the first time it is seen answered. Servers no longer listed are forgotten.
    public mutating func note(_ servers: [ObservedServer]) {
        var present: Set<String> = []
        present.reserveCapacity(servers.count)
        for server in servers {
            present.insert(server.id)
            guard server.launchedAt >= since, !measured.contains(server.id) else { continue }
            guard let answered = server.health.lastSuccessAt else { continue }
            measured.insert(server.id)
            samples.append(max(0, answered.timeIntervalSince(server.launchedAt)))
            if samples.count > Self.limit { samples.removeFirst(samples.count - Self.limit) }
        }
        measured.formIntersection(present)
    }

    /// The statistic over the kept samples; nil before the first.
    public var statistic: StartupStatistic? {
        StartupStatistic(durations: samples)
    }
}
