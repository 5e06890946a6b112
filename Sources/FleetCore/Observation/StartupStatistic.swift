import Foundation

/// How long the fleet's servers take to come up, measured rather than configured: from launch
/// (``ObservedServer/launchedAt``) to the first good probe, over the recent launches one gamefleet
/// process saw. It travels in ``ObservedState/startup``.
///
/// The first good probe is seen at a pass, so a sample is late by up to one pass interval.
public struct StartupStatistic: Sendable, Equatable, Codable {
    /// The 90th percentile of the samples, in seconds (nearest rank: the smallest sample that at
    /// least 90% of the samples do not exceed).
    public var p90Seconds: Double
    /// How many launches it is based on (1 or more).
    public var samples: Int

    public init(p90Seconds: Double, samples: Int) {
        self.p90Seconds = p90Seconds
        self.samples = samples
    }

    /// The statistic of `durations` (seconds, in any order); nil when there are none.
    public init?(durations: [Double]) {
        guard !durations.isEmpty else { return nil }
        let sorted = durations.sorted()
        // Nearest rank: ceil(0.9 n), counted from 1.
        let rank = (9 * sorted.count + 9) / 10
        self.init(p90Seconds: sorted[rank - 1], samples: sorted.count)
    }

    enum CodingKeys: String, CodingKey {
        case p90Seconds, samples
    }

    /// Reads the JSON form, refusing a negative or non-finite percentile and fewer than 1 sample.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        p90Seconds = try c.decode(Double.self, forKey: .p90Seconds)
        samples = try c.decode(Int.self, forKey: .samples)
        guard p90Seconds.isFinite, p90Seconds >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .p90Seconds, in: c, debugDescription: "must be 0 or more seconds, got \(p90Seconds)")
        }
        guard samples >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .samples, in: c, debugDescription: "must be 1 or more (leave `startup` out when nothing was measured), got \(samples)")
        }
    }
}
