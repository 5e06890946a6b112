// Spec/: fleet.yaml as values, after validation: FleetSpec and its sections, the bounds every
// number is checked against (FleetBounds), ha, cost and the Spot share it implies, schedule windows
// and their cron expressions, and the secrets substituted from ${VAR}s.

/// The declared fleet: what `fleet.yaml` says, after validation.
///
/// A `FleetSpec` is always valid: the loader in `FleetConfig` refuses a file that breaks a rule,
/// so the planner never has to second-guess it.
public struct FleetSpec: Sendable, Equatable {
    /// The fleet's name; launched gameservers are tagged with it so two fleets never touch each other.
    public var name: String
    /// Which provider runs the gameservers.
    public var provider: ProviderKind
    public var gameserver: GameserverSpec
    public var scaling: ScalingSpec
    public var allocation: AllocationSpec
    /// Where the HTTP endpoint listens.
    public var listen: HostPort
    /// The ECS settings; present when `provider` is `.ecs` (and may be present otherwise).
    public var ecs: ECSSpec?
    /// The local-process settings; present when `provider` is `.local`.
    public var local: LocalSpec?
    /// Values the file took from the environment; masked wherever gamefleet shows text.
    public var secrets: SecretValues = SecretValues()
    /// The operators' face: status page, `/v1/fleet`, `/metrics`, `/readyz`.
    public var admin: AdminSpec = AdminSpec()
    /// Connection hygiene for both faces.
    public var connections: ConnectionSpec = ConnectionSpec()
    /// Several replicas with leader election; nil means one replica that always acts.
    public var ha: HASpec?
    /// What a server costs an hour (`cost:`), for the money `gamefleet simulate` reports; nil means
    /// the reports speak of server-hours only. Serve never reads it.
    public var cost: CostSpec?

    public init(
        name: String, provider: ProviderKind, gameserver: GameserverSpec, scaling: ScalingSpec,
        allocation: AllocationSpec, listen: HostPort = FleetDefaults.listen,
        ecs: ECSSpec? = nil, local: LocalSpec? = nil
    ) {
        self.name = name
        self.provider = provider
        self.gameserver = gameserver
        self.scaling = scaling
        self.allocation = allocation
        self.listen = listen
        self.ecs = ecs
        self.local = local
    }

    /// What new gameservers run. For ECS this is the task definition (`family` or `family:revision`);
    /// for local processes it is the command line, so editing the command rolls the fleet the same way
    /// a new task definition does.
    public var taskDefinition: String {
        switch provider {
        case .ecs: return ecs?.taskDefinition ?? ""
        // Masked: the identity shows in plans, logs and /v1/fleet. A changed secret value alone
        // therefore does not roll the fleet; restart or change the command to roll it.
        case .local: return secrets.redact("local:" + (local?.command.joined(separator: " ") ?? ""))
        }
    }
}

/// Where gameservers run.
public enum ProviderKind: String, Sendable, Equatable, Codable, CaseIterable {
    /// Child processes on this machine (no AWS needed).
    case local
    /// Tasks on an AWS ECS cluster.
    case ecs
}

/// One gameserver's shape.
public struct GameserverSpec: Sendable, Equatable {
    /// Player slots per gameserver; at least 1.
    public var capacity: Int
    public var health: HealthSpec

    public init(capacity: Int, health: HealthSpec = HealthSpec()) {
        self.capacity = capacity
        self.health = health
    }
}

/// How gameservers are probed and when they count as unhealthy.
public struct HealthSpec: Sendable, Equatable {
    /// The HTTP path that answers `{"available_capacity": N, "ready_to_close": bool}`.
    public var path: String
    /// The health port; nil means the game port.
    public var port: Int?
    /// Time between reconcile passes (each pass probes every server once).
    public var interval: Duration
    /// How long one probe may take before it counts as failed.
    public var timeout: Duration
    /// Consecutive failed probes after which an answering server is unhealthy and replaced.
    public var failureThreshold: Int
    /// How long a new server may take to answer its first probe before it is unhealthy.
    public var startupGrace: Duration

    public init(
        path: String = FleetDefaults.healthPath, port: Int? = nil, interval: Duration = FleetDefaults.interval,
        timeout: Duration = FleetDefaults.timeout, failureThreshold: Int = FleetDefaults.failureThreshold,
        startupGrace: Duration = FleetDefaults.startupGrace
    ) {
        self.path = path
        self.port = port
        self.interval = interval
        self.timeout = timeout
        self.failureThreshold = failureThreshold
        self.startupGrace = startupGrace
    }
}

/// The margins and bounds the planner keeps the fleet within.
public struct ScalingSpec: Sendable, Equatable {
    /// Free slots below this add capacity (activate standby servers, then launch).
    public var upscaleMargin: Int
    /// Free slots above this park the emptiest active server in standby.
    /// Always more than `upscaleMargin + capacity` (the loader enforces it), so parking one server
    /// can never drop the free slots under the upscale margin.
    public var downscaleMargin: Int
    /// Fewest active servers, whatever the load.
    public var minServers: Int
    /// Most servers in existence (active, standby or starting), whatever the load.
    public var maxServers: Int
    /// Most launches in one pass; a pass that needs more says so and the next pass comes at once.
    public var maxLaunchesPerPass: Int
    /// How the free slots the fleet keeps are sized: fixed margins, or the demand the allocation
    /// endpoint measures (see ``DemandSizing``).
    public var policy: ScalingPolicy
    /// The `demand` policy's knobs; read only under that policy.
    public var demand: DemandSpec
    /// Known events (`scaling.schedule`): windows with a floor of free slots or servers, under
    /// either policy. Empty means none.
    public var schedule: [ScheduleWindow]

    public init(
        upscaleMargin: Int, downscaleMargin: Int, minServers: Int = FleetDefaults.minServers,
        maxServers: Int = FleetDefaults.maxServers, maxLaunchesPerPass: Int = FleetDefaults.maxLaunchesPerPass,
        policy: ScalingPolicy = FleetDefaults.policy, demand: DemandSpec = DemandSpec(),
        schedule: [ScheduleWindow] = []
    ) {
        self.upscaleMargin = upscaleMargin
        self.downscaleMargin = downscaleMargin
        self.minServers = minServers
        self.maxServers = maxServers
        self.maxLaunchesPerPass = maxLaunchesPerPass
        self.policy = policy
        self.demand = demand
        self.schedule = schedule
    }
}

/// `scaling.policy`: how the planner sizes the free slots it keeps.
public enum ScalingPolicy: String, Sendable, Equatable, Codable, CaseIterable {
    /// Keep free slots between `upscaleMargin` and `downscaleMargin`, whatever the traffic.
    case margin
    /// Size free slots for the players expected before a new server could be up (see
    /// ``DemandSizing``); the margins stay as floor and hysteresis.
    case demand
}

/// `scaling.demand`: the knobs of the `demand` policy. Each has a default that needs no tuning
/// per traffic shape; they exist to be swept, not to be guessed.
public struct DemandSpec: Sendable, Equatable {
    /// Expected arrivals are multiplied by this, in percent (125 keeps 25% more than the forecast),
    /// to absorb the arrival rate's noise and a startup slower than its 90th percentile.
    public var headroomPercent: Int
    /// The time constant of the smoothed arrival rate: a window of length `w` moves the average
    /// by `1 - exp(-w / smoothing)` of the way to the window's own rate.
    public var smoothing: Duration
    /// How fast the rate the fleet is sized for may fall: it halves in this time at most, so the
    /// fleet drains no faster than that after a burst (a tournament's next round finds room).
    public var halfLife: Duration
    /// What the forecast counts over the lead time: every arrival, or arrivals net of the players
    /// leaving (whose slots come free for the next ones).
    public var forecast: DemandForecast
    /// Whether bursts that came back on a clock are learned and pre-warmed for (``SeasonalProfile``).
    public var seasonal: Bool
    /// Under the growth forecast, how many standard deviations of the measured forecast error over
    /// the lead time are kept on top of the forecast: the honest form of "how much more than
    /// expected", as the chance of running short over one lead time (2.5: about once in 160 if
    /// errors were normal; 3: once in 740), not a percentage of the rate. 2.5 is the least that
    /// meets the demand goals on every shipped trace (docs/planner.md's goal table).
    public var safety: Double

    /// The defaults are the policy's best settings on every shipped trace, so `policy: demand` alone
    /// needs no other key; fleet.yaml's schema and docs/configuration.md read them from here.
    public init(headroomPercent: Int = 125, smoothing: Duration = .seconds(60), halfLife: Duration = .seconds(1800),
                forecast: DemandForecast = .growth, seasonal: Bool = true, safety: Double = 2.5) {
        self.headroomPercent = headroomPercent
        self.smoothing = smoothing
        self.halfLife = halfLife
        self.forecast = forecast
        self.seasonal = seasonal
        self.safety = safety
    }

    /// Every default, in one place.
    public static let defaults = DemandSpec()
}

/// `scaling.demand.forecast`: what the demand policy sizes free slots for.
public enum DemandForecast: String, Sendable, Equatable, Codable, CaseIterable {
    /// Every player expected to ask over the lead time (the held arrival rate). Simple and safe, but
    /// with short games most of those players take slots that others leave meanwhile, so it keeps
    /// more free slots than needed.
    case arrivals
    /// Arrivals net of departures (the held growth rate: smoothed arrivals minus smoothed
    /// departures, measured from the players the probes count). At a steady load it asks for little
    /// beyond the margins; in a burst it asks for as much as `arrivals`.
    case growth
}

/// How the allocation endpoint picks a server.
public struct AllocationSpec: Sendable, Equatable {
    public var strategy: AllocationStrategy
    /// Answered when no server has room; nil means answer 503.
    public var backup: HostPort?
    /// Per-client limit on allocation requests; nil means no limit.
    public var rateLimit: RateLimitSpec?
    /// Peers whose `X-Forwarded-For` names the client (load balancers in front of gamefleet).
    public var trustedProxies: [CIDRBlock]

    public init(strategy: AllocationStrategy = FleetDefaults.strategy, backup: HostPort? = nil, rateLimit: RateLimitSpec? = nil,
                trustedProxies: [CIDRBlock] = []) {
        self.strategy = strategy
        self.backup = backup
        self.rateLimit = rateLimit
        self.trustedProxies = trustedProxies
    }
}

/// A token bucket per client: `burst` requests at once, then `perSecond` a second.
public struct RateLimitSpec: Sendable, Equatable {
    public var perSecond: Double
    public var burst: Int

    public init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = burst
    }
}

/// The admin face.
public struct AdminSpec: Sendable, Equatable {
    /// Where it listens; loopback unless a token protects it.
    public var listen: HostPort
    /// The bearer token every admin route but `/readyz` asks for; nil means none (loopback only).
    public var token: String?

    public init(listen: HostPort = FleetDefaults.adminListen, token: String? = nil) {
        self.listen = listen
        self.token = token
    }
}

/// Limits that keep slow or idle clients from holding connections.
public struct ConnectionSpec: Sendable, Equatable {
    /// Most connections open at once per face; past it, new ones wait in the kernel's backlog.
    public var maxConnections: Int
    /// A connection with no request for this long is closed.
    public var idleTimeout: Duration
    /// A request head that has not fully arrived this long after the connection opened (or the
    /// previous response ended) closes the connection.
    public var headTimeout: Duration

    public init(maxConnections: Int = FleetDefaults.maxConnections, idleTimeout: Duration = FleetDefaults.idleTimeout,
                headTimeout: Duration = FleetDefaults.headTimeout) {
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.headTimeout = headTimeout
    }
}

/// Which server with room an allocation goes to.
public enum AllocationStrategy: String, Sendable, Equatable, Codable, CaseIterable {
    /// The fullest server that still has room, so emptier servers can drain and be parked.
    case packed
    /// The server with the most free slots, so load is even.
    case spread
}

/// ECS settings.
public struct ECSSpec: Sendable, Equatable {
    public var region: String
    public var cluster: String
    /// `family` or `family:revision`.
    public var taskDefinition: String
    /// The container port players connect to.
    public var gamePort: Int
    /// The launch type; with a ``capacityProviderStrategy`` it is the kind the strategy's providers
    /// imply (``ECSLaunchType/fargate`` when they are all `FARGATE`/`FARGATE_SPOT`), used for
    /// networking choices only: RunTask then names the strategy and no launch type.
    public var launchType: ECSLaunchType
    /// Capacity providers launches are spread over instead of ``launchType``; empty means none.
    public var capacityProviderStrategy: [CapacityProviderShare]
    /// An EC2 launch template; when set, each gameserver gets its own instance.
    public var launchTemplate: String?
    /// Another ECS/EC2 endpoint URL (an emulator), or nil for the region's.
    public var endpoint: String?
    /// Which of a task's addresses players are given.
    public var addressType: AddressType
    /// Subnets for `awsvpc` tasks (required for Fargate).
    public var subnets: [String]
    /// Security groups for `awsvpc` tasks.
    public var securityGroups: [String]
    /// Whether `awsvpc` tasks get a public IP (Fargate).
    public var assignPublicIp: Bool

    public init(
        region: String, cluster: String = FleetDefaults.cluster, taskDefinition: String, gamePort: Int,
        launchType: ECSLaunchType = FleetDefaults.launchType, launchTemplate: String? = nil, endpoint: String? = nil,
        addressType: AddressType = FleetDefaults.addressType, subnets: [String] = [], securityGroups: [String] = [],
        assignPublicIp: Bool = FleetDefaults.assignPublicIp, capacityProviderStrategy: [CapacityProviderShare] = []
    ) {
        self.capacityProviderStrategy = capacityProviderStrategy
        self.region = region
        self.cluster = cluster
        self.taskDefinition = taskDefinition
        self.gamePort = gamePort
        self.launchType = launchType
        self.launchTemplate = launchTemplate
        self.endpoint = endpoint
        self.addressType = addressType
        self.subnets = subnets
        self.securityGroups = securityGroups
        self.assignPublicIp = assignPublicIp
    }
}

/// One capacity provider of an ECS capacity provider strategy and its share of the launches.
public struct CapacityProviderShare: Sendable, Equatable, Codable {
    /// `FARGATE`, `FARGATE_SPOT`, or an Auto Scaling group capacity provider of the cluster.
    public var capacityProvider: String
    /// Relative share of the tasks placed past the bases, 0...1000.
    public var weight: Int
    /// Tasks placed on this provider before weights apply, 0...100000.
    public var base: Int

    public init(capacityProvider: String, weight: Int, base: Int = FleetDefaults.capacityProviderBase) {
        self.capacityProvider = capacityProvider
        self.weight = weight
        self.base = base
    }

    /// The capacity providers that run Fargate tasks; any other name is an Auto Scaling group's.
    public static let fargateProviders: Set<String> = ["FARGATE", "FARGATE_SPOT"]
}

public enum ECSLaunchType: String, Sendable, Equatable, Codable, CaseIterable {
    case ec2 = "EC2"
    case fargate = "FARGATE"
}

public enum AddressType: String, Sendable, Equatable, Codable, CaseIterable {
    case `public`
    case `private`
}

/// Local-process settings: gameservers as child processes of gamefleet.
public struct LocalSpec: Sendable, Equatable {
    /// The command line; `{port}` and `{capacity}` are filled in per server.
    public var command: [String]
    /// The host the processes listen on and players are sent to.
    public var host: String
    /// The ports handed to new processes, inclusive.
    public var ports: ClosedRange<Int>
    /// Where `gamefleet serve` records the gameserver processes it runs, so a gamefleet started after
    /// a crash adopts them. Nil means the default, `.gamefleet/<name>.state.json` beside the fleet
    /// file; a relative path is taken from the fleet file's directory.
    public var stateFile: String?

    public init(command: [String], host: String = FleetDefaults.localHost, ports: ClosedRange<Int> = FleetDefaults.localPorts,
                stateFile: String? = nil) {
        self.command = command
        self.host = host
        self.ports = ports
        self.stateFile = stateFile
    }
}
