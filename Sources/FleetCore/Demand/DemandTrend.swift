import Foundation

/// The arrival rate the `demand` policy sizes the fleet for, smoothed over the demand windows
/// (``DemandSignal``) seen so far. It travels in ``ObservedState/trend``: the smoothing is state
/// kept between passes, and keeping it in the observation leaves the planner a pure function that
/// `gamefleet plan --observed FILE` replays exactly.
///
/// Two figures, both in arrivals (allocation requests, met or not) per minute:
/// - ``smoothedPerMinute``: an exponentially weighted moving average over time. A window of `w`
///   seconds moves it `1 - exp(-w / smoothing)` of the way to the window's own rate, so windows of
///   any length weigh by how long they lasted.
/// - ``heldPerMinute``: what sizing reads. It follows the average up at once, and down no faster
///   than halving every `halfLife`: after a burst the fleet keeps room for the next one for a while,
///   and drains no faster than the arrivals fall.
public struct DemandTrend: Sendable, Equatable, Codable {
    /// The smoothed arrival rate, per minute (0 or more).
    public var smoothedPerMinute: Double
    /// The rate sizing uses: at least ``smoothedPerMinute``, decaying with the half-life from the
    /// highest it was.
    public var heldPerMinute: Double

    /// Players the probes counted on the fleet (plus slots handed out and not yet confirmed) when
    /// the last window closed; nil in files written before the field existed.
    public var players: Int?
    /// Smoothed departures per minute: the window's allocations minus the growth of ``players``
    /// (never below 0), averaged like arrivals; nil before two windows were seen.
    public var departuresPerMinute: Double?
    /// The growth rate the `growth` forecast reads: smoothed arrivals minus smoothed departures,
    /// held like ``heldPerMinute`` (up at once, down by half per `halfLife` at most); may be negative.
    public var heldGrowthPerMinute: Double?
    /// The measured error of the growth forecast, as a variance per second: how far each window's
    /// net arrivals (requests less departures) strayed from what the smoothed arrivals and
    /// departures before it foresaw, squared and divided by the window's length, then averaged over
    /// windows with a time constant of `halfLife` (so a burst's surprise is remembered about as long
    /// as its held rate). The growth forecast's safety scales with it instead of assuming Poisson
    /// arrivals and departures. Nil before three windows were seen.
    public var growthErrorPerSecond: Double?

    public init(smoothedPerMinute: Double, heldPerMinute: Double, players: Int? = nil, departuresPerMinute: Double? = nil,
                heldGrowthPerMinute: Double? = nil, growthErrorPerSecond: Double? = nil) {
        self.smoothedPerMinute = smoothedPerMinute
        self.heldPerMinute = heldPerMinute
        self.players = players
        self.departuresPerMinute = departuresPerMinute
        self.heldGrowthPerMinute = heldGrowthPerMinute
        self.growthErrorPerSecond = growthErrorPerSecond
    }

    /// The trend once `window` is folded into `previous` (nil before the first window). `players` is
    /// ``players(on:capacity:)`` of the servers this window closed on. A window of no length changes
    /// nothing but the player count. The first window starts the average at its own rate.
    public static func next(after previous: DemandTrend?, window: DemandSignal?, players: Int? = nil, settings: DemandSpec) -> DemandTrend? {
        let counted = players.map { $0 + (window?.reservedUnconfirmed ?? 0) }
        guard let window, window.windowSeconds > 0 else {
            guard var same = previous else { return nil }
            if let counted { same.players = counted }
            return same
        }
        let rate = Double(window.requests) / window.windowSeconds * 60
        guard let previous else { return DemandTrend(smoothedPerMinute: rate, heldPerMinute: rate, players: counted) }
        let tau = max(settings.smoothing.seconds, 0.001)
        let weight = 1 - exp(-window.windowSeconds / tau)
        let smoothed = previous.smoothedPerMinute + (rate - previous.smoothedPerMinute) * weight
        let halfLife = max(settings.halfLife.seconds, 0.001)
        let decay = exp2(-window.windowSeconds / halfLife)
        var next = DemandTrend(smoothedPerMinute: smoothed, heldPerMinute: max(smoothed, previous.heldPerMinute * decay), players: counted)
        if let before = previous.players, let now = counted {
            let left = Double(max(0, window.allocations - (now - before))) / window.windowSeconds * 60
            let departures = previous.departuresPerMinute.map { $0 + (left - $0) * weight } ?? left
            next.departuresPerMinute = min(departures, largestRate)
            let growth = smoothed - departures
            // A negative held growth decays toward 0 from below as a positive one does from above.
            let held = previous.heldGrowthPerMinute.map { $0 * decay } ?? growth
            next.heldGrowthPerMinute = max(growth, held)
            if let foreseenDepartures = previous.departuresPerMinute {
                // The forecast error of this window: its net arrivals against the growth the
                // previous trend foresaw for a window this long.
                let foreseen = (previous.smoothedPerMinute - foreseenDepartures) / 60 * window.windowSeconds
                let net = Double(window.requests) - left / 60 * window.windowSeconds
                let sample = min((net - foreseen) * (net - foreseen) / window.windowSeconds, largestRate)
                let errorWeight = 1 - exp(-window.windowSeconds / halfLife)
                next.growthErrorPerSecond = previous.growthErrorPerSecond.map { $0 + (sample - $0) * errorWeight } ?? sample
            }
        }
        return next
    }

    /// The players on `servers` the probes account for: each answering server's capacity less its
    /// reported free slots (standby servers too: their players leave as anyone's do).
    public static func players(on servers: [ObservedServer], capacity: Int) -> Int {
        var total = 0
        for server in servers where server.lifecycle != .stopping {
            guard let free = server.health.availableCapacity else { continue }
            total += capacity - min(max(free, 0), capacity)
        }
        return total
    }

    enum CodingKeys: String, CodingKey {
        case smoothedPerMinute, heldPerMinute, players, departuresPerMinute, heldGrowthPerMinute, growthErrorPerSecond
    }

    /// Reads the JSON form, refusing negative or non-finite rates with a message naming the field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        smoothedPerMinute = try c.decode(Double.self, forKey: .smoothedPerMinute)
        heldPerMinute = try c.decode(Double.self, forKey: .heldPerMinute)
        players = try c.decodeIfPresent(Int.self, forKey: .players)
        departuresPerMinute = try c.decodeIfPresent(Double.self, forKey: .departuresPerMinute)
        heldGrowthPerMinute = try c.decodeIfPresent(Double.self, forKey: .heldGrowthPerMinute)
        growthErrorPerSecond = try c.decodeIfPresent(Double.self, forKey: .growthErrorPerSecond)
        for (key, value) in [(CodingKeys.smoothedPerMinute, smoothedPerMinute), (.heldPerMinute, heldPerMinute), (.departuresPerMinute, departuresPerMinute ?? 0)]
        where !(value.isFinite && value >= 0 && value <= Self.largestRate) {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "must be a rate from 0 to \(Int(Self.largestRate)) per minute, got \(value)")
        }
        if let error = growthErrorPerSecond, !(error.isFinite && error >= 0 && error <= Self.largestRate) {
            throw DecodingError.dataCorruptedError(forKey: .growthErrorPerSecond, in: c, debugDescription: "must be a variance from 0 to \(Int(Self.largestRate)) (players² per second), got \(error)")
        }
        if let growth = heldGrowthPerMinute, !(growth.isFinite && abs(growth) <= Self.largestRate) {
            throw DecodingError.dataCorruptedError(forKey: .heldGrowthPerMinute, in: c, debugDescription: "must be a rate from -\(Int(Self.largestRate)) to \(Int(Self.largestRate)) per minute, got \(growth)")
        }
        if let players, !(0...Int(Self.largestRate)).contains(players) {
            throw DecodingError.dataCorruptedError(forKey: .players, in: c, debugDescription: "must be 0 to \(Int(Self.largestRate)), got \(players)")
        }
    }

    /// The largest rate a file may give (a billion arrivals a minute), so sizing's arithmetic
    /// never overflows.
    public static let largestRate = 1e9
}
