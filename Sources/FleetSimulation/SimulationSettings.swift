/// What the simulated world is like beyond fleet.yaml: how the provider behaves and how the run is set up.
public struct SimulationSettings: Sendable, Equatable {
    /// Seeds every random draw (session lengths, startup jitter, failures). Same seed, same run.
    public var seed: UInt64
    /// Time from a launch until the new server answers its first health probe.
    public var startupDelay: Duration
    /// Each launch takes `startupDelay` plus a uniform draw from `-startupJitter ... +startupJitter`
    /// (never less than zero in total).
    public var startupJitter: Duration
    /// Server failures per server-hour of running (a Poisson process per server). A failed server stops
    /// answering its health probes and its players lose their game; zero means servers never fail.
    public var failuresPerServerHour: Double
    /// Before minute 0 the trace's first minute is repeated for this long, so the run starts with players
    /// already in games and a fleet sized for them, not with a cold, empty fleet. Servers launched in
    /// the warm-up start at once, so the fleet catches up however slow startups are. Nothing before
    /// minute 0 is counted. Zero starts cold: an empty fleet at minute 0.
    public var warmUp: Duration
    /// How long a pass takes from its probes to carrying out its plan and publishing what it saw to the
    /// allocation endpoint (provider calls, the slowest probe). Meanwhile the allocator still works
    /// from the previous pass's observation.
    public var passDuration: Duration
    /// How soon after a pass that hit `maxLaunchesPerPass` (`requeueSoon`) the next one starts; serve
    /// starts it at once.
    public var requeueDelay: Duration
    /// How many time buckets the chart's timeline keeps; the trace is divided evenly among them.
    public var timelineBuckets: Int
    /// Checks every allocation (made through `AllocationIndex`, as serve makes it) against the
    /// reference scan `Allocator.choose` over the whole observed fleet with the reservations,
    /// counting differences in ``SimulationRun/allocationMismatches``. Slow (O(servers) per player);
    /// for tests.
    public var verifyAllocations: Bool

    /// Settings with the command line's defaults: startup 60 s ± 20 s, 0.001 failures per
    /// server-hour, one hour of warm-up, passes of 500 ms.
    public init(
        seed: UInt64 = 1, startupDelay: Duration = .seconds(60), startupJitter: Duration = .seconds(20),
        failuresPerServerHour: Double = 0.001, warmUp: Duration = .seconds(3600),
        passDuration: Duration = .milliseconds(500), requeueDelay: Duration = .zero, timelineBuckets: Int = 720,
        verifyAllocations: Bool = false
    ) {
        self.seed = seed
        self.startupDelay = startupDelay
        self.startupJitter = startupJitter
        self.failuresPerServerHour = failuresPerServerHour
        self.warmUp = warmUp
        self.passDuration = passDuration
        self.requeueDelay = requeueDelay
        self.timelineBuckets = timelineBuckets
        self.verifyAllocations = verifyAllocations
    }
}
