import FleetCore

/// The shape of fleet.yaml as data: every key, its type, whether it is required, its default and
/// what it means. The loader validates against it, `gamefleet schema` prints it as JSON Schema, and
/// unknown-key suggestions come from it, so the three never disagree.
public struct Field: Sendable {
    public indirect enum Kind: Sendable {
        case string
        /// A whole number in `bounds` (inclusive); every integer key has an upper bound, so no user
        /// number reaches the planner's arithmetic unchecked.
        case integer(ClosedRange<Int>)
        case boolean
        /// A number written in decimals (`0.0408`, `2`, no exponent) in `bounds` (inclusive); with
        /// `excludingLowerBound`, the lower bound itself is refused (a price of 0). Every decimal key
        /// has an upper bound, as every integer key does.
        case decimal(ClosedRange<Double>, excludingLowerBound: Bool = false)
        /// A duration string such as `10s`; `allowZero` says whether `0s` is accepted, `max` is the
        /// longest accepted.
        case duration(allowZero: Bool, max: Duration)
        /// `host:port`.
        case hostPort
        /// A TCP port, 1...65535.
        case port
        /// `7000-7099`, or a single port.
        case portRange
        /// A list of strings; `nonEmpty` refuses `[]`.
        case stringList(nonEmpty: Bool)
        /// One of the given words.
        case choice([String])
        /// A mapping with the given keys.
        case object([Field])
        /// A list of mappings, each with the given keys; `nonEmpty` refuses `[]`.
        case objectList([Field], nonEmpty: Bool)
    }

    public let name: String
    public let kind: Kind
    public let required: Bool
    /// True when `null` (or an empty value) is accepted and means "not set".
    public let nullable: Bool
    /// The default, as it would be written in YAML; nil when there is none.
    public let defaultValue: String?
    public let doc: String

    public init(_ name: String, _ kind: Kind, required: Bool = false, nullable: Bool = false, default defaultValue: String? = nil, _ doc: String) {
        self.name = name
        self.kind = kind
        self.required = required
        self.nullable = nullable
        self.defaultValue = defaultValue
        self.doc = doc
    }
}

/// fleet.yaml's schema.
public enum FleetSchema {
    /// The top-level keys.
    public static let root: [Field] = [
        Field("name", .string, required: true, "Fleet name; tags what gamefleet launches, so fleets sharing a cluster never touch each other."),
        Field("provider", .choice(["local", "ecs"]), required: true, "Where gameservers run: local child processes or AWS ECS tasks."),
        Field("gameserver", .object(gameserver), required: true, "The shape of one gameserver."),
        Field("scaling", .object(scaling), required: true, "Margins and bounds the fleet is kept within."),
        Field("allocation", .object(allocation), "How the allocation endpoint picks a server."),
        Field("listen", .hostPort, default: FleetDefaults.listen.description, "The public face: allocation routes and /healthz, for game clients."),
        Field("admin", .object(admin), "The admin face: status page, /v1/fleet, /v1/history, /metrics, /readyz."),
        Field("connections", .object(connections), "Connection hygiene on both faces (slow and idle clients)."),
        Field("ecs", .object(ecs), nullable: true, "ECS settings; required when provider is ecs."),
        Field("local", .object(local), nullable: true, "Local-process settings; required when provider is local."),
        Field("ha", .object(ha), nullable: true, "High availability: several serve replicas elect a leader through a DynamoDB lease (provider ecs only); absent: one replica."),
        Field("cost", .object(cost), nullable: true, "What one gameserver costs an hour, so gamefleet simulate reports money per day and per month beside server-hours; serve never reads it. Give serverHour, or vcpuHour, gbHour, vcpu and memoryGB (Fargate)."),
    ]

    /// `cost`: prices are in the operator's currency, which is only a label (nothing is converted).
    static let cost: [Field] = [
        Field("serverHour", .decimal(FleetBounds.price, excludingLowerBound: true), "Price of one server-hour on demand, e.g. 0.0416 (an EC2 instance per gameserver, or any provider); instead of the four Fargate keys."),
        Field("vcpuHour", .decimal(FleetBounds.price, excludingLowerBound: true), "Fargate's price per vCPU-hour on demand, e.g. 0.04048 (us-east-1); with gbHour, vcpu and memoryGB."),
        Field("gbHour", .decimal(FleetBounds.price, excludingLowerBound: true), "Fargate's price per GB-hour of memory on demand, e.g. 0.004445 (us-east-1)."),
        Field("vcpu", .decimal(FleetBounds.fargateVCPU), "vCPU of one gameserver's task, as its task definition asks (0.25 to 16)."),
        Field("memoryGB", .decimal(FleetBounds.fargateMemoryGB), "Memory of one gameserver's task in GB, as its task definition asks (0.5 to 120)."),
        Field("spotDiscountPercent", .decimal(FleetBounds.spotDiscountPercent), "Percent off the on-demand price for servers on FARGATE_SPOT, e.g. 70; required when ecs.capacityProviderStrategy puts servers there, refused when it puts none."),
        Field("currency", .string, default: CostSpec.defaultCurrency, "Label printed beside every amount, e.g. USD, EUR or ₹ (at most \(FleetBounds.currencyLength) characters); nothing is converted."),
    ]

    static let gameserver: [Field] = [
        Field("capacity", .integer(FleetBounds.capacity), required: true, "Player slots per gameserver."),
        Field("health", .object(health), "How gameservers are probed."),
    ]

    static let health: [Field] = [
        Field("path", .string, default: FleetDefaults.healthPath, "HTTP path answering {\"available_capacity\": N, \"ready_to_close\": bool}."),
        Field("port", .port, nullable: true, "Health port; null means the game port."),
        Field("interval", .duration(allowZero: false, max: FleetBounds.interval), default: DurationText.format(FleetDefaults.interval), "Time between reconcile passes; each pass probes every server once."),
        Field("timeout", .duration(allowZero: false, max: FleetBounds.timeout), default: DurationText.format(FleetDefaults.timeout), "How long one probe may take; must be shorter than interval."),
        Field("failureThreshold", .integer(FleetBounds.failureThreshold), default: String(FleetDefaults.failureThreshold), "Consecutive failed probes after which a server is unhealthy and replaced."),
        Field("startupGrace", .duration(allowZero: true, max: FleetBounds.startupGrace), default: DurationText.format(FleetDefaults.startupGrace), "How long a new server may take to answer its first probe."),
    ]

    static let scaling: [Field] = [
        Field("upscaleMargin", .integer(FleetBounds.margin), required: true, "Free slots below this add capacity (activate standby servers, then launch)."),
        Field("downscaleMargin", .integer(FleetBounds.margin), required: true, "Free slots above this park the emptiest server in standby. Must exceed upscaleMargin + capacity."),
        Field("minServers", .integer(FleetBounds.servers), default: String(FleetDefaults.minServers), "Fewest active servers."),
        Field("maxServers", .integer(1...FleetBounds.servers.upperBound), default: String(FleetDefaults.maxServers), "Most servers in existence (active, standby or starting)."),
        Field("maxLaunchesPerPass", .integer(FleetBounds.launchesPerPass), default: String(FleetDefaults.maxLaunchesPerPass), "Most launches in one pass; the next pass follows at once when more are needed."),
        Field("policy", .choice(ScalingPolicy.allCases.map(\.rawValue)), default: FleetDefaults.policy.rawValue, "margin: keep free slots between the margins. demand: size free slots for the players expected before a new server is up (the margins stay as floor and hysteresis)."),
        Field("demand", .object(demand), "Knobs of the demand policy; the defaults need no tuning per traffic shape."),
        Field("schedule", .objectList(scheduleWindow, nonEmpty: false), default: "[]", "Known events: windows (cron and time zone) with a floor of free slots or servers, pre-warmed one measured startup time early."),
    ]

    /// A default written as people write it: `3`, `2.5`.
    static func plainNumber(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// `scaling.demand`; the defaults are ``DemandSpec/defaults``'s, written once there.
    static let demand: [Field] = [
        Field("headroomPercent", .integer(FleetBounds.headroomPercent), default: String(DemandSpec.defaults.headroomPercent), "Expected arrivals are multiplied by this, in percent."),
        Field("smoothing", .duration(allowZero: false, max: FleetBounds.smoothing), default: DurationText.format(DemandSpec.defaults.smoothing), "Time constant of the smoothed arrival rate."),
        Field("halfLife", .duration(allowZero: false, max: FleetBounds.halfLife), default: DurationText.format(DemandSpec.defaults.halfLife), "The rate the fleet is sized for halves at most this fast after a burst, so it drains no faster."),
        Field("forecast", .choice(DemandForecast.allCases.map(\.rawValue)), default: DemandSpec.defaults.forecast.rawValue, "growth: size for arrivals net of the players leaving, plus `safety` standard deviations of the measured forecast error; arrivals: for every player expected over the lead time (dearer with short games)."),
        Field("safety", .decimal(FleetBounds.safety), default: plainNumber(DemandSpec.defaults.safety), "Under the growth forecast, standard deviations of the measured forecast error over the lead time kept on top of the forecast: fewer cost less and send more players to the backup in a rush."),
        Field("seasonal", .boolean, default: String(DemandSpec.defaults.seasonal), "Learn bursts that come back on a clock (the same minute each half hour, the same hour each day) from the fleet's own arrivals, and pre-warm one measured startup before the next; the history is kept beside the local state file or, with ha, in the lease table."),
    ]

    /// One item of `scaling.schedule`.
    static let scheduleWindow: [Field] = [
        Field("cron", .string, required: true, "When the window opens: minute hour day-of-month month day-of-week, such as '0 20 * * 5' (ranges, lists, steps, jan-dec, sun-sat)."),
        Field("timeZone", .string, default: FleetDefaults.scheduleTimeZone, "IANA time zone the cron expression is read in, such as Europe/Paris."),
        Field("duration", .duration(allowZero: false, max: FleetBounds.scheduleDuration), required: true, "How long the window lasts from each opening."),
        Field("minFreeSlots", .integer(FleetBounds.margin), nullable: true, "Free slots to keep during the window (or give minServers)."),
        Field("minServers", .integer(1...FleetBounds.servers.upperBound), nullable: true, "Active servers to keep during the window (or give minFreeSlots)."),
    ]

    static let allocation: [Field] = [
        Field("strategy", .choice(AllocationStrategy.allCases.map(\.rawValue)), default: FleetDefaults.strategy.rawValue, "packed: fullest server with room; spread: most free slots."),
        Field("backup", .hostPort, nullable: true, "Server answered when no gameserver has room; null answers 503 instead."),
        Field("rateLimit", .object(rateLimit), nullable: true, "Per-client limit on allocation requests (token bucket); absent or null: no limit."),
        Field("trustedProxies", .stringList(nonEmpty: false), default: "[]", "CIDR blocks of proxies whose X-Forwarded-For names the client (a load balancer in front)."),
    ]

    static let rateLimit: [Field] = [
        Field("perSecond", .integer(FleetBounds.rate), required: true, "Requests a second each client may make, on average."),
        Field("burst", .integer(FleetBounds.rate), required: true, "Requests a client may make at once before the rate applies."),
    ]

    static let admin: [Field] = [
        Field("listen", .hostPort, default: FleetDefaults.adminListen.description, "Address of the admin face; a non-loopback address needs a token."),
        Field("token", .string, nullable: true, "Bearer token for every admin route but /readyz; write it as ${VAR}."),
        Field("tokenFile", .string, nullable: true, "File holding the token (first line), relative to fleet.yaml's directory; instead of token."),
    ]

    static let connections: [Field] = [
        Field("maxConnections", .integer(FleetBounds.connections), default: String(FleetDefaults.maxConnections), "Most open connections per face; past it, new ones wait."),
        Field("idleTimeout", .duration(allowZero: false, max: FleetBounds.idleTimeout), default: DurationText.format(FleetDefaults.idleTimeout), "A connection idle this long is closed."),
        Field("headTimeout", .duration(allowZero: false, max: FleetBounds.headTimeout), default: DurationText.format(FleetDefaults.headTimeout), "A request head not fully received this long after the connection opened (or the last response) closes it."),
    ]

    static let ecs: [Field] = [
        Field("region", .string, required: true, "AWS region, e.g. ap-south-1."),
        Field("cluster", .string, default: FleetDefaults.cluster, "ECS cluster name or ARN."),
        Field("taskDefinition", .string, required: true, "Task definition family or family:revision new gameservers run."),
        Field("gamePort", .port, required: true, "Container port players connect to."),
        Field("launchType", .choice(ECSLaunchType.allCases.map(\.rawValue)), default: FleetDefaults.launchType.rawValue, "ECS launch type; leave it out when capacityProviderStrategy is set."),
        Field("capacityProviderStrategy", .objectList(capacityProviderShare, nonEmpty: true), nullable: true,
              "Capacity providers new tasks are spread over (e.g. FARGATE_SPOT beside FARGATE), instead of launchType; at most 20, one kind (Fargate or Auto Scaling group), at least one weight above 0."),
        Field("launchTemplate", .string, nullable: true, "EC2 launch template; when set, each gameserver gets its own instance."),
        Field("endpoint", .string, nullable: true, "Another ECS/EC2 endpoint URL (an emulator); null means the region's."),
        Field("addressType", .choice(AddressType.allCases.map(\.rawValue)), default: FleetDefaults.addressType.rawValue, "Which IP players are given."),
        Field("subnets", .stringList(nonEmpty: false), default: "[]", "Subnets for awsvpc tasks (required for FARGATE)."),
        Field("securityGroups", .stringList(nonEmpty: false), default: "[]", "Security groups for awsvpc tasks."),
        Field("assignPublicIp", .boolean, default: String(FleetDefaults.assignPublicIp), "Give awsvpc tasks a public IP."),
    ]

    /// One item of `ecs.capacityProviderStrategy`, with ECS's own bounds.
    static let capacityProviderShare: [Field] = [
        Field("capacityProvider", .string, required: true, "Capacity provider name: FARGATE, FARGATE_SPOT, or an Auto Scaling group capacity provider of the cluster."),
        Field("weight", .integer(0...1000), required: true, "Relative share of the tasks launched past the bases."),
        Field("base", .integer(0...100_000), default: String(FleetDefaults.capacityProviderBase), "Tasks that go to this provider first; only one item may set a base above 0."),
    ]

    static let local: [Field] = [
        Field("command", .stringList(nonEmpty: true), required: true, "Command line of one gameserver; {port} and {capacity} are filled in."),
        Field("host", .string, default: FleetDefaults.localHost, "Host the processes listen on and players are sent to."),
        Field("ports", .portRange, default: "\(FleetDefaults.localPorts.lowerBound)-\(FleetDefaults.localPorts.upperBound)", "Ports handed to new processes, inclusive."),
        Field("stateFile", .string, nullable: true, "Where serve records its gameserver processes so a restarted serve adopts them; relative to the fleet file's directory. null means .gamefleet/<name>.state.json there."),
    ]

    static let ha: [Field] = [
        Field("table", .string, required: true, "DynamoDB table of the leases: one item per fleet, string hash key named fleet."),
        Field("leaseDuration", .duration(allowZero: false, max: FleetBounds.leaseDuration), default: DurationText.format(FleetDefaults.leaseDuration),
              "How long a lease holds unrenewed (at least 3s); the leader renews every third of it, a follower takes over after seeing it unchanged this long."),
        Field("advertise", .hostPort, nullable: true,
              "host:port where the other replicas reach this replica's admin face (allocations are forwarded there); null means admin.listen, which must then not be a wildcard address."),
        Field("endpoint", .string, nullable: true, "Another DynamoDB endpoint URL (an emulator); null means ecs.endpoint, else the region's."),
    ]
}
