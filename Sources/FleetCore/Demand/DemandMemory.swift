import Foundation

/// What the `demand` policy remembers between passes: the smoothed rates (``DemandTrend``) and the
/// bursts that come back (``SeasonalProfile``). Serve's reconciler and the simulator each keep one
/// and fold every pass's demand window into it by this one function, so what `gamefleet simulate`
/// reports is what serve does; the pass then puts it into its observation (``stamp(_:)``) for the
/// planner, which stays a pure function of the observation.
public struct DemandMemory: Sendable, Equatable {
    /// The smoothed and held rates; nil before the first window.
    public var trend: DemandTrend?
    /// The seasonal profile; nil before the first window, and under `scaling.demand.seasonal: false`
    /// unless one was restored.
    public var seasonal: SeasonalProfile?

    public init(trend: DemandTrend? = nil, seasonal: SeasonalProfile? = nil) {
        self.trend = trend
        self.seasonal = seasonal
    }

    /// Folds the window a pass closed at `now` (nil when nothing was measured), with `players` the
    /// players the probes counted (``DemandTrend/players(on:capacity:)``). The seasonal profile
    /// learns only when `settings.seasonal` is on.
    public mutating func fold(window: DemandSignal?, players: Int?, at now: Date, settings: DemandSpec) {
        trend = DemandTrend.next(after: trend, window: window, players: players, settings: settings)
        guard settings.seasonal, let window else { return }
        let start = now.addingTimeInterval(-window.windowSeconds)
        var profile = seasonal ?? SeasonalProfile(at: start)
        profile.count(requests: window.requests, from: start, to: now)
        seasonal = profile
    }

    /// Puts what the planner reads into `observed`.
    public func stamp(_ observed: inout ObservedState) {
        observed.trend = trend
        observed.seasonal = seasonal
    }
}
