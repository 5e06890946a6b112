// Demand/: the demand policy: allocations counted per pass (DemandWindow, DemandSignal), their
// trend and smoothed rates, remembered bursts (SeasonalProfile, DemandMemory), and the margins the
// policy sizes from them (DemandSizing).

import Foundation

/// What the planner keeps the fleet at in one pass: the margins and `minServers` it applies, and
/// where they came from. Under `scaling.policy: margin` with no schedule this is fleet.yaml's own
/// values; otherwise ``DemandSizing`` raises them. It travels in ``Plan/Summary/sizing`` so people
/// and tools can read why the fleet is the size it is.
public struct FleetSizing: Sendable, Equatable, Codable {
    /// The policy in force.
    public var policy: ScalingPolicy
    /// Free slots below this add capacity: `upscaleMargin`, the demand forecast or a schedule
    /// floor, whichever is most.
    public var upscaleAt: Int
    /// Free slots above this park servers: ``upscaleAt`` plus fleet.yaml's gap between the margins
    /// (never less than `downscaleMargin`), so the hysteresis stays what the file says.
    public var downscaleAt: Int
    /// Fewest active servers: `minServers` or a schedule floor (never above `maxServers`).
    public var minServers: Int
    /// The demand forecast (nil under the margin policy).
    public var forecast: Forecast?
    /// The schedule windows in force this pass, as labels (empty when none).
    public var scheduled: [String]
    /// What set ``upscaleAt``.
    public var upscaleSource: ReasonCode
    /// What set ``minServers``.
    public var minServersSource: ReasonCode

    /// How the demand policy sized free slots.
    public struct Forecast: Sendable, Equatable, Codable {
        /// What was forecast: every arrival, or growth (arrivals net of departures).
        public var kind: DemandForecast
        /// The rate the forecast used, per minute: held arrivals (``DemandTrend/heldPerMinute``) or
        /// held growth (``DemandTrend/heldGrowthPerMinute``; the measured growth when
        /// ``growthAsMeasured``), counted as 0 when negative; 0 before any window.
        public var arrivalsPerMinute: Double
        /// The measured startup time (p90) in seconds, or `startupGrace` when nothing was measured.
        public var startupSeconds: Double
        /// True when ``startupSeconds`` was measured, false when it is `startupGrace`.
        public var startupMeasured: Bool
        /// One pass interval, in seconds: a server launched now is seen up one pass after it answers.
        public var intervalSeconds: Double
        /// Expected arrivals are multiplied by this, in percent.
        public var headroomPercent: Int
        /// `arrivalsPerMinute × (startup + interval) × headroom`, plus ``safety``, rounded up.
        public var expectedArrivals: Int
        /// Players of the last window sent to the backup or answered 503.
        public var unmet: Int
        /// Slots handed out that no probe shows yet (they look free to the planner).
        public var reservedUnconfirmed: Int
        /// `expectedArrivals + unmet + reservedUnconfirmed`: free slots wanted.
        public var target: Int
        /// Under the growth forecast, the slots kept for the wander of arrivals and departures over
        /// the lead time: 3 × √(measured forecast error per second × lead), or before anything was
        /// measured 3 × √(expected arrivals + departures); 0 under the arrivals forecast.
        public var safety: Int = 0
        /// True when ``safety`` came from the measured forecast error
        /// (``DemandTrend/growthErrorPerSecond``); nil when it came from the Poisson model or there
        /// is none (the arrivals forecast).
        public var safetyMeasured: Bool? = nil
        /// True when the growth read is the measured one (smoothed arrivals less departures), not
        /// the held one: the seasonal profile awaits the next burst, so the pre-warm keeps its room
        /// and the growth the last burst raised is not held between bursts. Nil otherwise.
        public var growthAsMeasured: Bool? = nil
        /// Arrivals above the baseline that the seasonal profile expects within the lead time (a
        /// burst that came back before); ``target`` counts the larger of it and
        /// ``expectedArrivals`` (both keep room for the next burst); nil when none is expected or
        /// seasonality is off.
        public var seasonal: SeasonalForecast? = nil
    }
}

/// Sizes the fleet for one pass: the `demand` policy's forecast and `scaling.schedule`'s floors,
/// as the margins and `minServers` the planner then applies with its usual rules. Pure: the
/// smoothing it reads was folded into the observation (``DemandTrend``) before the pass.
///
/// Under `demand`, free slots wanted = expected arrivals over the time a server launched now takes
/// to be seen up — the measured startup p90 (``StartupStatistic``; `startupGrace` before anything
/// was measured) plus one pass interval — at the held arrival rate, times the headroom; plus the
/// last window's unmet players (backup and 503 answers: demand the fleet missed) and the slots
/// handed out that no probe confirms yet. `upscaleMargin` is the floor, and the downscale point sits
/// fleet.yaml's margin gap above the target, so parking never undoes a launch. Because the held
/// rate falls at most by half per `halfLife`, the fleet drains no faster than that after a burst.
///
/// Launch capacity is part of the sizing too: a fleet at most `maxLaunchesPerPass` servers away
/// from its target catches up in one pass; further away, the plan says how many launches the cap
/// held back and the next pass comes at once.
public enum DemandSizing {
    /// The sizing for `observed` at `now`.
    public static func sizing(spec: FleetSpec, observed: ObservedState, now: Date) -> FleetSizing {
        let scaling = spec.scaling
        let capacity = spec.gameserver.capacity
        // Never aim past what maxServers can hold, so the arithmetic stays small and the limit
        // line, not a runaway target, tells the story.
        let ceiling = scaling.maxServers * capacity
        var upscaleAt = scaling.upscaleMargin
        var upscaleSource = ReasonCode.belowUpscaleMargin
        var forecast: FleetSizing.Forecast?
        let startupSeconds = observed.startup?.p90Seconds ?? spec.gameserver.health.startupGrace.seconds
        if scaling.policy == .demand {
            let kind = scaling.demand.forecast
            // Bursts the history foresees are the pre-warm's: while one is awaited, growth is read
            // as measured (smoothed arrivals less departures), not held up after the last burst,
            // which would keep the next burst's room all the time between bursts.
            let released = kind == .growth && scaling.demand.seasonal && observed.seasonal?.awaitsBurst(at: now) == true
            let measuredGrowth = observed.trend.flatMap { trend in trend.departuresPerMinute.map { trend.smoothedPerMinute - $0 } }
            let read = kind == .arrivals ? observed.trend?.heldPerMinute
                : released ? (measuredGrowth ?? observed.trend?.heldGrowthPerMinute) : (observed.trend?.heldGrowthPerMinute ?? observed.trend?.heldPerMinute)
            let rate = min(max(read ?? 0, 0), DemandTrend.largestRate)
            let interval = spec.gameserver.health.interval.seconds
            let lead = min(startupSeconds, FleetBounds.startupGrace.seconds) + interval
            var slots = rate / 60 * lead * Double(scaling.demand.headroomPercent) / 100
            var safety = 0
            var safetyMeasured: Bool?
            if kind == .growth {
                // Growth nets arrivals against departures; both are random, so the net over the
                // lead time wanders around its forecast. How far is measured: the forecast error
                // per second (``DemandTrend/growthErrorPerSecond``) times the lead time is its
                // variance, assuming windows err independently. Before anything was measured, the
                // Poisson model stands in: a variance of arrivals plus departures over the lead.
                // `safety` standard deviations (2.5 unless set) keep a steady fleet out of the
                // backup but for rare runs.
                let variance: Double
                if let error = observed.trend?.growthErrorPerSecond {
                    variance = min(error, DemandTrend.largestRate) * lead
                    safetyMeasured = true
                } else {
                    let arrivals = released ? observed.trend?.smoothedPerMinute : observed.trend?.heldPerMinute
                    variance = (min(arrivals ?? 0, DemandTrend.largestRate) + min(observed.trend?.departuresPerMinute ?? 0, DemandTrend.largestRate)) / 60 * lead
                }
                safety = Int(min((scaling.demand.safety * variance.squareRoot()).rounded(.up), Double(ceiling)))
                slots += Double(safety)
            }
            let expected = Int(min(slots.rounded(.up), Double(ceiling)))
            let unmet = observed.demand.map { $0.backup + $0.unavailable } ?? 0
            let reserved = observed.demand?.reservedUnconfirmed ?? 0
            // A burst that came back before is expected again: its arrivals are kept free from
            // one lead time (a measured startup and a pass) before it, so the servers are up.
            let seasonal = scaling.demand.seasonal ? observed.seasonal?.forecast(at: now, horizon: lead) : nil
            // The held growth after a burst and the burst expected again both keep room for the
            // next burst: the larger of the two is kept, not their sum. The burst comes on top of
            // the steady churn, whose wander the safety covers.
            let forecastSlots = max(expected, min((seasonal?.arrivals ?? 0) + (seasonal == nil ? 0 : safety), ceiling))
            let target = min(forecastSlots + min(unmet, ceiling) + min(reserved, ceiling), ceiling)
            forecast = FleetSizing.Forecast(
                kind: kind, arrivalsPerMinute: rate, startupSeconds: startupSeconds, startupMeasured: observed.startup != nil,
                intervalSeconds: interval, headroomPercent: scaling.demand.headroomPercent, expectedArrivals: expected,
                unmet: unmet, reservedUnconfirmed: reserved, target: target, safety: safety,
                safetyMeasured: safetyMeasured, growthAsMeasured: released ? true : nil, seasonal: seasonal)
            if target > upscaleAt {
                upscaleAt = target
                upscaleSource = .demandForecast
            }
        }
        var minServers = scaling.minServers
        var minServersSource = ReasonCode.minServers
        var scheduled: [String] = []
        for window in scaling.schedule where window.firing(covering: now, lead: startupSeconds) != nil {
            scheduled.append(window.label)
            if let free = window.minFreeSlots, min(free, ceiling) > upscaleAt {
                upscaleAt = min(free, ceiling)
                upscaleSource = .scheduledWindow
            }
            if let servers = window.minServers, min(servers, scaling.maxServers) > minServers {
                minServers = min(servers, scaling.maxServers)
                minServersSource = .scheduledWindow
            }
        }
        let gap = scaling.downscaleMargin - scaling.upscaleMargin
        return FleetSizing(
            policy: scaling.policy, upscaleAt: upscaleAt, downscaleAt: max(scaling.downscaleMargin, upscaleAt + gap),
            minServers: minServers, forecast: forecast, scheduled: scheduled, upscaleSource: upscaleSource,
            minServersSource: minServersSource)
    }

    /// The words of a ``FleetSizing/Forecast`` for plan lines:
    /// `demand: 12.3 arrivals/min × 95s (startup p90 85s + interval 10s) × 125% = 25, + 3 unmet, + 2 reserved = 30 free slots wanted`;
    /// with a burst expected, `… = max(25, seasonal: 240 arrivals expected at :30 (every 30m) + 7 safety), + 3 unmet, …`.
    public static func describe(_ f: FleetSizing.Forecast) -> String {
        let startup = (f.startupMeasured ? "startup p90 " : "startupGrace ") + PlanTextRenderer.seconds(f.startupSeconds)
        let safety = f.kind == .growth ? " + \(f.safety) safety\(f.safetyMeasured == true ? " (measured)" : "")" : ""
        // The larger of the two counts: `max(25, seasonal: 240 arrivals expected at :30 (every 30m))`.
        let formed = f.seasonal.map { "max(\(f.expectedArrivals), \($0.text)\(f.safety > 0 ? " + \(f.safety) safety" : ""))" } ?? String(f.expectedArrivals)
        let rate = f.kind == .arrivals ? "arrivals/min" : f.growthAsMeasured == true ? "net arrivals/min (as measured: the next burst is foreseen)" : "net arrivals/min"
        return "demand: \(PlanTextRenderer.oneDecimal(f.arrivalsPerMinute)) \(rate) × \(PlanTextRenderer.seconds(f.startupSeconds + f.intervalSeconds)) (\(startup) + interval \(PlanTextRenderer.seconds(f.intervalSeconds))) × \(f.headroomPercent)%\(safety) = \(formed), + \(f.unmet) unmet, + \(f.reservedUnconfirmed) reserved = \(f.target) free slots wanted"
    }
}
