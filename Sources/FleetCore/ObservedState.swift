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

    public init(observedAt: Date? = nil, servers: [ObservedServer]) {
        self.observedAt = observedAt
        self.servers = servers
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

    public init(
        id: String, address: HostPort?, taskDefinition: String, lifecycle: Lifecycle = .running,
        standby: Bool = false, launchedAt: Date, health: HealthRecord = HealthRecord()
    ) {
        self.id = id
        self.address = address
        self.taskDefinition = taskDefinition
        self.lifecycle = lifecycle
        self.standby = standby
        self.launchedAt = launchedAt
        self.health = health
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
    }
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
