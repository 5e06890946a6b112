/// How long a fleet spent at each size: `seconds[n]` is the time with `n` servers in existence.
///
/// Server-hours are its first moment; money under a capacity provider mix whose first servers run
/// elsewhere than the rest (a `base`) needs the whole distribution, so the simulator keeps it.
public struct FleetSizeTime: Sendable, Equatable {
    /// Seconds spent with each number of servers, from none up to the largest fleet seen.
    public private(set) var seconds: [Double]

    public init(seconds: [Double] = []) {
        self.seconds = seconds
    }

    /// Counts `duration` seconds at a fleet of `servers`; nothing for a zero or negative duration.
    public mutating func add(_ duration: Double, servers: Int) {
        guard duration > 0, servers >= 0 else { return }
        if servers >= seconds.count { seconds.append(contentsOf: repeatElement(0, count: servers + 1 - seconds.count)) }
        seconds[servers] += duration
    }

    /// Every server's time, in hours: the same sum as the run's server-hours (not rounded).
    public var serverHours: Double {
        seconds.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element } / 3600
    }
}
