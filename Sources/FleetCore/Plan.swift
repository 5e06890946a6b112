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

    public init(actions: [Action], summary: Summary, limits: [String] = [], requeueSoon: Bool = false) {
        self.actions = actions
        self.summary = summary
        self.limits = limits
        self.requeueSoon = requeueSoon
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
        }
    }
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
    /// Why, in words for people. Never branched on.
    public var reason: String

    public init(kind: Kind, server: String? = nil, address: HostPort? = nil, taskDefinition: String? = nil, reason: String) {
        self.kind = kind
        self.server = server
        self.address = address
        self.taskDefinition = taskDefinition
        self.reason = reason
    }

    /// A launch of one server.
    public static func launch(_ taskDefinition: String, reason: String) -> Action {
        Action(kind: .launch, taskDefinition: taskDefinition, reason: reason)
    }

    /// An action on an existing server.
    public static func on(_ kind: Kind, _ server: ObservedServer, reason: String) -> Action {
        Action(kind: kind, server: server.id, address: server.address, taskDefinition: server.taskDefinition, reason: reason)
    }
}
