/// The largest (and smallest) values fleet.yaml accepts for its numbers and durations.
///
/// Each bound is far past any real fleet and far below where arithmetic over it could overflow: the
/// loader refuses a file past them (naming the key), `gamefleet schema` publishes them as `maximum`,
/// and `gamefleet simulate --sweep` keeps to them, so no user number reaches the planner, the
/// allocator or the simulator unchecked. docs/configuration.md lists the same values.
public enum FleetBounds {
    /// `gameserver.capacity`: player slots per gameserver.
    public static let capacity = 1...100_000
    /// `scaling.upscaleMargin` and `scaling.downscaleMargin`: free slots.
    public static let margin = 1...10_000_000
    /// `scaling.minServers` (from 0) and `scaling.maxServers` (from 1).
    public static let servers = 0...100_000
    /// `scaling.maxLaunchesPerPass`.
    public static let launchesPerPass = 1...1_000
    /// `gameserver.health.failureThreshold`: failed probes in a row.
    public static let failureThreshold = 1...1_000
    /// `gameserver.health.interval`: the longest time between passes.
    public static let interval: Duration = .seconds(3600)
    /// `gameserver.health.timeout`: the longest one probe may take.
    public static let timeout: Duration = .seconds(300)
    /// `gameserver.health.startupGrace`: the longest a new server may take to answer.
    public static let startupGrace: Duration = .seconds(86_400)
    /// `scaling.demand.headroomPercent`: expected arrivals are multiplied by this, in percent.
    public static let headroomPercent = 100...1_000
    /// `scaling.demand.safety`: standard deviations of the forecast error kept on top.
    public static let safety = 0.0...10.0
    /// `scaling.demand.smoothing`: the longest time constant of the smoothed arrival rate.
    public static let smoothing: Duration = .seconds(3600)
    /// `scaling.demand.halfLife`: the longest half-life of the held arrival rate.
    public static let halfLife: Duration = .seconds(86_400)
    /// `scaling.schedule[].duration`: the longest window (a week).
    public static let scheduleDuration: Duration = .seconds(7 * 86_400)
    /// `scaling.schedule`: most entries.
    public static let scheduleEntries = 100
    /// `allocation.rateLimit.perSecond` and `.burst`: requests per client.
    public static let rate = 1...1_000_000
    /// `connections.maxConnections`: open connections per face.
    public static let connections = 1...1_000_000
    /// `connections.idleTimeout`: the longest a connection may sit idle.
    public static let idleTimeout: Duration = .seconds(3600)
    /// `connections.headTimeout`: the longest a request head may take to arrive.
    public static let headTimeout: Duration = .seconds(300)
    /// `cost.serverHour`, `cost.vcpuHour` and `cost.gbHour`: a price, more than 0, in any currency
    /// (a million a server-hour leaves room for currencies with small units; a month of 100,000
    /// such servers is still exact to the cent in a Double).
    public static let price = 0.0...1_000_000.0
    /// `cost.vcpu`: a Fargate task's vCPU (Fargate offers 0.25 to 16).
    public static let fargateVCPU = 0.25...16.0
    /// `cost.memoryGB`: a Fargate task's memory in GB (Fargate offers 0.5 to 120).
    public static let fargateMemoryGB = 0.5...120.0
    /// `cost.spotDiscountPercent`: percent off the on-demand price on FARGATE_SPOT.
    public static let spotDiscountPercent = 0.0...99.0
    /// `cost.currency`: the longest label, in characters.
    public static let currencyLength = 8
    /// `ha.leaseDuration`: the longest lease.
    public static let leaseDuration: Duration = .seconds(300)
}
