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

    public init(smoothedPerMinute: Double, heldPerMinute: Double) {
        self.smoothedPerMinute = smoothedPerMinute
        self.heldPerMinute = heldPerMinute
    }

    /// The trend once `window` is folded into `previous` (nil before the first window). A window of
    /// no length changes nothing. The first window starts the average at its own rate.
    public static func next(after previous: DemandTrend?, window: DemandSignal?, settings: DemandSpec) -> DemandTrend? {
        guard let window, window.windowSeconds > 0 else { return previous }
        let rate = Double(window.requests) / window.windowSeconds * 60
        guard let previous else { return DemandTrend(smoothedPerMinute: rate, heldPerMinute: rate) }
        let tau = max(settings.smoothing.seconds, 0.001)
        let weight = 1 - exp(-window.windowSeconds / tau)
        let smoothed = previous.smoothedPerMinute + (rate - previous.smoothedPerMinute) * weight
        let halfLife = max(settings.halfLife.seconds, 0.001)
        let decayed = previous.heldPerMinute * exp2(-window.windowSeconds / halfLife)
        return DemandTrend(smoothedPerMinute: smoothed, heldPerMinute: max(smoothed, decayed))
    }

    enum CodingKeys: String, CodingKey {
        case smoothedPerMinute, heldPerMinute
    }

    /// Reads the JSON form, refusing negative or non-finite rates with a message naming the field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        smoothedPerMinute = try c.decode(Double.self, forKey: .smoothedPerMinute)
        heldPerMinute = try c.decode(Double.self, forKey: .heldPerMinute)
        for (key, value) in [(CodingKeys.smoothedPerMinute, smoothedPerMinute), (.heldPerMinute, heldPerMinute)]
        where !(value.isFinite && value >= 0 && value <= Self.largestRate) {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "must be a rate from 0 to \(Int(Self.largestRate)) per minute, got \(value)")
        }
    }

    /// The largest rate a file may give (a billion arrivals a minute), so sizing's arithmetic
    /// never overflows.
    public static let largestRate = 1e9
}
