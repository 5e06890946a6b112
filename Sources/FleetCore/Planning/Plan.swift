import Foundation

/// What one reconcile pass decided: a list of actions, each with its target and a reason.
///
/// A plan is data. Renderers (``PlanTextRenderer``, JSON via `Codable`) and providers read it; the
/// reason is for people only and nobody branches on it.
public struct Plan: Sendable, Equatable, Codable {
    public var actions: [Action]
    /// The figures the plan was decided from.
    public var summary: Summary
    /// Why the plan stopped short of what the fleet needs (a cap was hit); empty when it did not.
    /// When ``requeueSoon`` is true the next pass should come at once rather than after the interval.
    public var limits: [String]
    /// True when another pass right away could make more progress (the launch cap was hit).
    public var requeueSoon: Bool
    /// Each observed server's state as the planner judged it, before the plan's actions: what the
    /// status page draws (it decides nothing itself). Nil in plans written before the field existed.
    public var servers: [ServerState]?

    public init(actions: [Action], summary: Summary, limits: [String] = [], requeueSoon: Bool = false, servers: [ServerState]? = nil) {
        self.actions = actions
        self.summary = summary
        self.limits = limits
        self.requeueSoon = requeueSoon
        self.servers = servers
    }

    /// One server's state in a pass, decided by the planner's rules (``Planner``).
    public struct ServerState: Sendable, Equatable, Codable {
        public enum State: String, Sendable, Codable, CaseIterable {
            /// Running the current task definition, answering, taking players.
            case active
            /// Launched and not answered yet, within `startupGrace` (its slots count as free).
            case starting
            /// Parked: takes no new players.
            case standby
            /// Judged unhealthy (failed `failureThreshold` probes in a row, never answered within
            /// `startupGrace`, a host that never registered): rule 1 stops it.
            case unhealthy
            /// Runs another task definition than the current one: replaced (rule 6).
            case outdated
            /// Neither answered nor judged yet (found running by a new gamefleet, or no address):
            /// kept, its slots not counted.
            case unknown
            /// Being stopped, or its host's gameserver ended: no longer part of the fleet.
            case stopping
        }

        public var id: String
        public var state: State
        /// Why, in words, for the states that have a reason (unhealthy, outdated, unknown).
        public var reason: String?

        public init(id: String, state: State, reason: String? = nil) {
            self.id = id
            self.state = state
            self.reason = reason
        }
    }

    /// True when the plan changes nothing.
    public var isEmpty: Bool { actions.isEmpty }

    /// How many actions of a kind the plan holds.
    public func count(_ kind: Action.Kind) -> Int {
        actions.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) }
    }

    /// The figures behind a plan, before its actions take effect.
    public struct Summary: Sendable, Equatable, Codable {
        /// Free slots on healthy active servers running the current task definition, plus the full
        /// capacity of current servers still starting.
        public var freeSlots: Int
        public var upscaleMargin: Int
        public var downscaleMargin: Int
        /// Servers that exist and are not stopping.
        public var servers: Int
        /// Of those: active (not standby), healthy or still starting.
        public var active: Int
        public var standby: Int
        public var starting: Int
        public var unhealthy: Int
        /// Servers running another task definition than the spec's.
        public var outdated: Int
        /// Active servers that have not answered and are not judged yet (found running after a
        /// restart, or their address could not be looked up): kept, counted as no free slots.
        public var unknown: Int
        /// The observation's demand signal, echoed for people and tools; nil when it had none.
        public var demand: DemandSignal?
        /// The observation's measured startup time, echoed; nil when it had none.
        public var startup: StartupStatistic?
        /// The observation's smoothed arrival rate, echoed; nil when it had none.
        public var trend: DemandTrend?
        /// What the pass sized the fleet to and why (``DemandSizing``); nil under the margin policy
        /// with no schedule, where the margins above say it all.
        public var sizing: FleetSizing?

        public init(
            freeSlots: Int, upscaleMargin: Int, downscaleMargin: Int, servers: Int, active: Int,
            standby: Int, starting: Int, unhealthy: Int, outdated: Int, unknown: Int = 0
        ) {
            self.unknown = unknown
            self.freeSlots = freeSlots
            self.upscaleMargin = upscaleMargin
            self.downscaleMargin = downscaleMargin
            self.servers = servers
            self.active = active
            self.standby = standby
            self.starting = starting
            self.unhealthy = unhealthy
            self.outdated = outdated
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                freeSlots: try c.decode(Int.self, forKey: .freeSlots), upscaleMargin: try c.decode(Int.self, forKey: .upscaleMargin),
                downscaleMargin: try c.decode(Int.self, forKey: .downscaleMargin), servers: try c.decode(Int.self, forKey: .servers),
                active: try c.decode(Int.self, forKey: .active), standby: try c.decode(Int.self, forKey: .standby),
                starting: try c.decode(Int.self, forKey: .starting), unhealthy: try c.decode(Int.self, forKey: .unhealthy),
                outdated: try c.decode(Int.self, forKey: .outdated), unknown: try c.decodeIfPresent(Int.self, forKey: .unknown) ?? 0)
            demand = try c.decodeIfPresent(DemandSignal.self, forKey: .demand)
            startup = try c.decodeIfPresent(StartupStatistic.self, forKey: .startup)
            trend = try c.decodeIfPresent(DemandTrend.self, forKey: .trend)
            sizing = try c.decodeIfPresent(FleetSizing.self, forKey: .sizing)
        }
    }
}

/// Why an action was planned, as a stable code that logs, metrics, dashboards and tests can match on
/// (the action's `reason` says the same in words, with the figures, for people).
public enum ReasonCode: String, Sendable, Equatable, Codable, CaseIterable {
    /// Free slots under `upscaleMargin`: activate or launch.
    case belowUpscaleMargin
    /// Fewer active current servers than `minServers`: activate or launch.
    case minServers
    /// Free slots (of servers that are up) over `downscaleMargin`: park the emptiest.
    case aboveDownscaleMargin
    /// An answering server failed `failureThreshold` probes in a row (or one found running did).
    case unhealthyFailedProbes
    /// A server never answered within `startupGrace`.
    case neverAnswered
    /// A standby server says it is empty and ready to close: stop it.
    case readyToClose
    /// A server runs another task definition than the spec's: park it to roll the fleet.
    case outdated
    /// More servers than `maxServers`: park the emptiest.
    case overMaxServers
    /// A fleet host (`ecs.launchTemplate`) registered without a gameserver: place one on it.
    case hostWithoutGameserver
    /// A fleet host whose gameserver ended: terminate it.
    case hostGameserverEnded
    /// A fleet host that did not register with the cluster within `startupGrace` of its launch:
    /// terminate it, so a broken or forgotten instance is never left running.
    case hostNeverRegistered
    /// Under `scaling.policy: demand`, free slots below what the arrivals expected before a new
    /// server is up call for (see ``DemandSizing``): activate or launch.
    case demandForecast
    /// A `scaling.schedule` window (or its pre-warm) asks for more free slots or servers.
    case scheduledWindow
}

/// One change to the fleet.
public struct Action: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
        /// Start one new server running ``Action/taskDefinition``. With ``Action/server`` set (a
        /// fleet host that waits for its gameserver, `ecs.launchTemplate`), place it on that host.
        case launch
        /// Take a standby server back into service.
        case activate
        /// Park a server: it keeps its players and gets no new ones.
        case standby
        /// Stop a server.
        case stop
    }

    public var kind: Kind
    /// The server acted on; nil for `launch`, except a launch onto a named host.
    public var server: String?
    /// The server's address, for people reading the plan.
    public var address: HostPort?
    /// What a launch runs; for other kinds, what the server runs.
    public var taskDefinition: String?
    /// Why, as a stable code (see ``ReasonCode``). Read by logs and metrics, never by the applier.
    public var reasonCode: ReasonCode
    /// Why, in words for people. Never branched on.
    public var reason: String

    public init(kind: Kind, server: String? = nil, address: HostPort? = nil, taskDefinition: String? = nil,
                code: ReasonCode, reason: String) {
        self.kind = kind
        self.server = server
        self.address = address
        self.taskDefinition = taskDefinition
        self.reasonCode = code
        self.reason = reason
    }

    /// A launch of one server.
    public static func launch(_ taskDefinition: String, code: ReasonCode, reason: String) -> Action {
        Action(kind: .launch, taskDefinition: taskDefinition, code: code, reason: reason)
    }

    /// An action on an existing server.
    public static func on(_ kind: Kind, _ server: ObservedServer, code: ReasonCode, reason: String) -> Action {
        Action(kind: kind, server: server.id, address: server.address, taskDefinition: server.taskDefinition, code: code, reason: reason)
    }
}
