// Observation/: what a pass sees: ObservedState (servers, health records, demand, startup times),
// the provider protocol that produces it, the health verdict per server, launches expected but not
// listed yet, stopped servers and failed launches (for people), and the per-pass history.

import Foundation

/// What a provider and the health prober saw of the fleet at one moment.
///
/// Its JSON form (see ``ObservedState/decode(_:)``) is the file format of
/// `gamefleet plan --observed FILE` and of `gamefleet observe`.
public struct ObservedState: Sendable, Equatable, Codable {
    /// When the observation was made; informational.
    public var observedAt: Date?
    /// Every server the provider knows of for this fleet, in any lifecycle.
    public var servers: [ObservedServer]
    /// Launches this gamefleet process made that the provider does not list yet (see
    /// ``ExpectedLaunch``); the planner counts the confirmed ones as servers still starting.
    /// Optional in the JSON form (`expected`), and left out of it when empty.
    public var expected: [ExpectedLaunch]
    /// What the allocation endpoint saw since the previous pass (see ``DemandSignal``); nil when
    /// nothing was measured (`gamefleet observe`, files written before the field existed). Optional
    /// in the JSON form (`demand`). The planner echoes it in the plan's summary; under
    /// `scaling.policy: demand` its unmet and unconfirmed counts add to the free slots wanted.
    public var demand: DemandSignal?
    /// The measured startup time of recent launches (see ``StartupStatistic``); nil before any
    /// launch this process saw has answered. Optional in the JSON form (`startup`).
    public var startup: StartupStatistic?
    /// The smoothed arrival rate the `demand` policy sizes for (see ``DemandTrend``), with this
    /// pass's window already folded in; nil before the first window. Optional in the JSON form
    /// (`trend`).
    public var trend: DemandTrend?
    /// The bursts that came back, learned from the fleet's own arrivals (see ``SeasonalProfile``),
    /// with this pass's window already counted; nil before the first window or when seasonality is
    /// off. Optional in the JSON form (`seasonal`).
    public var seasonal: SeasonalProfile?

    public init(observedAt: Date? = nil, servers: [ObservedServer], expected: [ExpectedLaunch] = [],
                demand: DemandSignal? = nil, startup: StartupStatistic? = nil, trend: DemandTrend? = nil,
                seasonal: SeasonalProfile? = nil) {
        self.trend = trend
        self.seasonal = seasonal
        self.observedAt = observedAt
        self.servers = servers
        self.expected = expected
        self.demand = demand
        self.startup = startup
    }

    enum CodingKeys: String, CodingKey {
        case observedAt, servers, expected, demand, startup, trend, seasonal
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        observedAt = try c.decodeIfPresent(Date.self, forKey: .observedAt)
        servers = try c.decode([ObservedServer].self, forKey: .servers)
        expected = try c.decodeIfPresent([ExpectedLaunch].self, forKey: .expected) ?? []
        demand = try c.decodeIfPresent(DemandSignal.self, forKey: .demand)
        startup = try c.decodeIfPresent(StartupStatistic.self, forKey: .startup)
        trend = try c.decodeIfPresent(DemandTrend.self, forKey: .trend)
        seasonal = try c.decodeIfPresent(SeasonalProfile.self, forKey: .seasonal)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(observedAt, forKey: .observedAt)
        try c.encode(servers, forKey: .servers)
        if !expected.isEmpty { try c.encode(expected, forKey: .expected) }
        try c.encodeIfPresent(demand, forKey: .demand)
        try c.encodeIfPresent(startup, forKey: .startup)
        try c.encodeIfPresent(trend, forKey: .trend)
        try c.encodeIfPresent(seasonal, forKey: .seasonal)
    }

    /// Reads the JSON form. Dates are ISO 8601 (`2026-11-26T10:00:00Z`).
    public static func decode(_ data: Data) throws -> ObservedState {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(ObservedState.self, from: data)
    }

    /// Writes the JSON form, keys sorted and pretty-printed so files diff well.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// One gameserver as observed.
public struct ObservedServer: Sendable, Equatable, Codable, Identifiable {
    /// The provider's id: an ECS task ARN, or `local-<port>` for a local process.
    public var id: String
    /// Where players connect. Nil while the provider does not know it yet (a task still being placed).
    public var address: HostPort?
    /// What the server runs; compared with ``FleetSpec/taskDefinition`` to find outdated servers.
    public var taskDefinition: String
    public var lifecycle: Lifecycle
    /// True when the server is parked: it keeps its players but gets no new ones.
    public var standby: Bool
    /// When the provider launched it.
    public var launchedAt: Date
    public var health: HealthRecord
    /// When this gamefleet process first saw the server; nil in files written before the field
    /// existed. `startupGrace` counts from the later of this and ``launchedAt``, so a server found
    /// already running after a restart is judged by probes made since, not by its age.
    public var firstSeenAt: Date?
    /// Why the provider could not look up the server's address in this pass (an AWS call failed,
    /// e.g. throttled); nil when the lookup worked or was not needed. Such a server is unknown,
    /// not silent: it is kept, counts no free slots, and is looked up again next pass.
    public var addressLookupError: String?
    /// Set when the entry is a gameserver host (`ecs.launchTemplate`) that needs repair rather
    /// than a gameserver; the planner turns it into a plan action.
    public var host: HostCondition?

    public init(
        id: String, address: HostPort?, taskDefinition: String, lifecycle: Lifecycle = .running,
        standby: Bool = false, launchedAt: Date, health: HealthRecord = HealthRecord(),
        firstSeenAt: Date? = nil, addressLookupError: String? = nil, host: HostCondition? = nil
    ) {
        self.id = id
        self.address = address
        self.taskDefinition = taskDefinition
        self.lifecycle = lifecycle
        self.standby = standby
        self.launchedAt = launchedAt
        self.health = health
        self.firstSeenAt = firstSeenAt
        self.addressLookupError = addressLookupError
        self.host = host
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        address = try c.decodeIfPresent(HostPort.self, forKey: .address)
        taskDefinition = try c.decode(String.self, forKey: .taskDefinition)
        lifecycle = try c.decode(Lifecycle.self, forKey: .lifecycle)
        standby = try c.decodeIfPresent(Bool.self, forKey: .standby) ?? false
        launchedAt = try c.decode(Date.self, forKey: .launchedAt)
        health = try c.decodeIfPresent(HealthRecord.self, forKey: .health) ?? HealthRecord()
        firstSeenAt = try c.decodeIfPresent(Date.self, forKey: .firstSeenAt)
        addressLookupError = try c.decodeIfPresent(String.self, forKey: .addressLookupError)
        host = try c.decodeIfPresent(HostCondition.self, forKey: .host)
    }
}

/// What a gameserver host (one EC2 instance per gameserver, `ecs.launchTemplate`) needs, as
/// observed. Observing only reports it; the repair is an action of the plan.
public enum HostCondition: String, Sendable, Equatable, Codable, CaseIterable {
    /// A fleet host registered in the cluster without a gameserver on it: the plan places one
    /// (a `launch` that names the host).
    case awaitingGameserver
    /// A fleet host whose gameserver ended: the plan stops (terminates) the host.
    case gameserverEnded
    /// A fleet host (found by its tag) that has not registered with the cluster yet: booting, or
    /// broken (no agent, wrong cluster in its user data). It can hold no players; once it is
    /// older than `startupGrace` by EC2's launch time the plan stops (terminates) it.
    case unregistered
}

/// Where a server is in its life, as the provider reports it.
public enum Lifecycle: String, Sendable, Equatable, Codable, CaseIterable {
    /// Launched, not yet running (ECS PROVISIONING/PENDING/ACTIVATING, a process not yet listening).
    case pending
    /// Running; it may or may not answer its health probe yet.
    case running
    /// On its way out; it neither counts nor is acted upon.
    case stopping
}

/// What the health probes have said of a server so far.
public struct HealthRecord: Sendable, Equatable, Codable {
    /// The last good probe's `available_capacity`; nil if it never answered.
    public var availableCapacity: Int?
    /// The last good probe's `ready_to_close`; nil if it never answered.
    public var readyToClose: Bool?
    /// Probes failed in a row since the last good one (timeouts, errors, answers off the contract).
    public var consecutiveFailures: Int
    /// When the last good probe answered; nil if it never did.
    public var lastSuccessAt: Date?

    public init(
        availableCapacity: Int? = nil, readyToClose: Bool? = nil, consecutiveFailures: Int = 0,
        lastSuccessAt: Date? = nil
    ) {
        self.availableCapacity = availableCapacity
        self.readyToClose = readyToClose
        self.consecutiveFailures = consecutiveFailures
        self.lastSuccessAt = lastSuccessAt
    }

    /// True once any probe has answered.
    public var hasAnswered: Bool { lastSuccessAt != nil }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        availableCapacity = try c.decodeIfPresent(Int.self, forKey: .availableCapacity)
        readyToClose = try c.decodeIfPresent(Bool.self, forKey: .readyToClose)
        consecutiveFailures = try c.decodeIfPresent(Int.self, forKey: .consecutiveFailures) ?? 0
        lastSuccessAt = try c.decodeIfPresent(Date.self, forKey: .lastSuccessAt)
    }

    /// Folds in a good probe's answer.
    public mutating func recordSuccess(availableCapacity: Int, readyToClose: Bool, at time: Date) {
        self.availableCapacity = availableCapacity
        self.readyToClose = readyToClose
        self.consecutiveFailures = 0
        self.lastSuccessAt = time
    }

    /// Folds in a failed probe; the last good answer is kept for people to read. The count stops at
    /// `Int.max` (an observed-state file may start it there) rather than overflowing.
    public mutating func recordFailure() {
        if consecutiveFailures < .max { consecutiveFailures += 1 }
    }
}
