import Foundation

/// How long players stay: a log-normal distribution given by its mean and standard deviation.
///
/// Log-normal because game lengths are positive and skewed: most chess games end near the typical
/// length, a few run far longer. A spread of zero makes every session exactly `mean` long.
/// Draws are clamped to `30 s ... mean + 8 × spread` so a single freak draw cannot keep a player
/// (and the server under them) for days.
public struct SessionLength: Sendable, Equatable, Codable {
    /// Mean session length in seconds; more than zero.
    public var meanSeconds: Double
    /// Standard deviation in seconds; zero or more.
    public var spreadSeconds: Double

    /// A distribution with this mean and standard deviation, both in seconds.
    public init(meanSeconds: Double, spreadSeconds: Double) {
        self.meanSeconds = meanSeconds
        self.spreadSeconds = spreadSeconds
    }

    /// The shortest session a draw gives, in seconds.
    public static let shortestSeconds: Double = 30

    /// The longest session a draw gives, in seconds.
    public var longestSeconds: Double { max(meanSeconds + 8 * spreadSeconds, Self.shortestSeconds) }

    /// One session length in seconds.
    public func draw(using random: inout SimulationRandom) -> Double {
        Sampler(self).draw(using: &random)
    }

    /// The distribution's parameters worked out once, for drawing millions of sessions.
    struct Sampler {
        let length: SessionLength
        /// The underlying normal distribution's mean and standard deviation.
        let mu: Double
        let sigma: Double

        init(_ length: SessionLength) {
            self.length = length
            // The log-normal whose mean and standard deviation are the ones asked for.
            let ratio = length.meanSeconds > 0 ? length.spreadSeconds / length.meanSeconds : 0
            let variance = log(1 + ratio * ratio)
            mu = log(max(length.meanSeconds, .leastNormalMagnitude)) - variance / 2
            sigma = variance.squareRoot()
        }

        func draw(using random: inout SimulationRandom) -> Double {
            // Drawn even when the spread is zero so the stream advances the same way for every spread.
            let z = random.normal()
            guard length.spreadSeconds > 0 else { return max(length.meanSeconds, SessionLength.shortestSeconds) }
            let drawn = exp(mu + sigma * z)
            // A degenerate distribution (a mean too tiny for its spread) draws NaN; a NaN session end
            // would never come up in the event queue, so it counts as the shortest session instead.
            guard drawn.isFinite || drawn == .infinity else { return SessionLength.shortestSeconds }
            return min(max(drawn, SessionLength.shortestSeconds), length.longestSeconds)
        }
    }
}
