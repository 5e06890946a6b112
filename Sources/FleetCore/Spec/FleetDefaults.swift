/// Every default of fleet.yaml, written once. The spec types' initialisers take them as their
/// default arguments (so the loader, which fills a key left out from the initialiser, uses them),
/// and `FleetSchema` shows them in `gamefleet schema` and docs/configuration.md. The demand
/// policy's own are ``DemandSpec/defaults``.
public enum FleetDefaults {
    /// `listen`: the public face.
    public static let listen = HostPort(host: "127.0.0.1", port: 8000)
    /// `admin.listen`.
    public static let adminListen = HostPort(host: "127.0.0.1", port: 8001)

    /// `gameserver.health.path`.
    public static let healthPath = "/health/"
    /// `gameserver.health.interval`: one pass (and one probe per server) per interval.
    public static let interval: Duration = .seconds(10)
    /// `gameserver.health.timeout`.
    public static let timeout: Duration = .seconds(2)
    /// `gameserver.health.failureThreshold`.
    public static let failureThreshold = 2
    /// `gameserver.health.startupGrace`.
    public static let startupGrace: Duration = .seconds(120)

    /// `scaling.minServers`.
    public static let minServers = 1
    /// `scaling.maxServers`.
    public static let maxServers = 50
    /// `scaling.maxLaunchesPerPass`.
    public static let maxLaunchesPerPass = 10
    /// `scaling.policy`.
    public static let policy = ScalingPolicy.margin

    /// `scaling.schedule[].timeZone`: the zone a cron expression is read in.
    public static let scheduleTimeZone = "UTC"

    /// `allocation.strategy`.
    public static let strategy = AllocationStrategy.packed

    /// `connections.maxConnections`.
    public static let maxConnections = 4096
    /// `connections.idleTimeout`.
    public static let idleTimeout: Duration = .seconds(30)
    /// `connections.headTimeout`.
    public static let headTimeout: Duration = .seconds(5)

    /// `ecs.cluster`: ECS's own default cluster.
    public static let cluster = "default"
    /// `ecs.launchType`.
    public static let launchType = ECSLaunchType.ec2
    /// `ecs.addressType`.
    public static let addressType = AddressType.public
    /// `ecs.assignPublicIp`.
    public static let assignPublicIp = false
    /// `ecs.capacityProviderStrategy[].base`.
    public static let capacityProviderBase = 0

    /// `local.host`.
    public static let localHost = "127.0.0.1"
    /// `local.ports`.
    public static let localPorts = 7000...7099

    /// `ha.leaseDuration`.
    public static let leaseDuration: Duration = .seconds(15)
}
