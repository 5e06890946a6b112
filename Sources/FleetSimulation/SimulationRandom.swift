import Foundation

/// The simulation's own random numbers: xoshiro256** seeded through SplitMix64.
///
/// The simulation never uses `SystemRandomNumberGenerator`, so the same seed gives the same run on
/// every machine and every time. Each independent source of chance (the players, each server) gets
/// its own stream derived from the seed and a stream number, so one part drawing more numbers (a
/// policy that launches more servers) does not shift what another part draws.
public struct SimulationRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A stream for `seed`; `stream` separates independent sources drawn from the same seed.
    public init(seed: UInt64, stream: UInt64 = 0) {
        // SplitMix64 spreads even a small seed over all 256 bits of state, as xoshiro's authors advise.
        var mix = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        func next() -> UInt64 {
            mix &+= 0x9E37_79B9_7F4A_7C15
            var z = mix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = next(); s1 = next(); s2 = next(); s3 = next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    /// A uniform number in `0..<1` with 53 random bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform number in `-1...1`, for a jitter around a centre.
    public mutating func symmetric() -> Double {
        unit() * 2 - 1
    }

    /// A draw from the standard normal distribution (Box–Muller; one of the pair is dropped so each
    /// call consumes a fixed two numbers, keeping streams aligned).
    public mutating func normal() -> Double {
        let u1 = 1 - unit()  // in (0, 1], so the logarithm is finite
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A draw from the exponential distribution with the given mean; infinity when the mean is.
    public mutating func exponential(mean: Double) -> Double {
        guard mean.isFinite else { return .infinity }
        return -log(1 - unit()) * mean
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
