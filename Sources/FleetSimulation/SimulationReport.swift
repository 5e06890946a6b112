import FleetCore
import Foundation

/// The result of `gamefleet simulate`: gamefleet's rules and the old app's on the same trace, beside
/// the lower bound. Its JSON form (``json()``) has sorted keys, so two runs compare byte for byte.
public struct SimulationReport: Sendable, Equatable, Codable {
    /// The trace as simulated.
    public struct TraceSummary: Sendable, Equatable, Codable {
        /// The trace's name.
        public var name: String
        /// Its length in minutes.
        public var minutes: Int
        /// Players it brings from minute 0 on.
        public var arrivals: Int
        /// Mean session length in minutes.
        public var sessionMeanMinutes: Double
        /// Standard deviation of the session length in minutes.
        public var sessionSpreadMinutes: Double
        /// Most players in a game at once, on the fleet or the backup.
        public var peakPlayers: Int
    }

    /// The fleet.yaml settings the run used.
    public struct FleetSummary: Sendable, Equatable, Codable {
        /// The fleet's name.
        public var name: String
        /// `gameserver.capacity`: player slots per server.
        public var capacity: Int
        /// `scaling.upscaleMargin`, in free slots.
        public var upscaleMargin: Int
        /// `scaling.downscaleMargin`, in free slots.
        public var downscaleMargin: Int
        /// `scaling.minServers`.
        public var minServers: Int
        /// `scaling.maxServers`.
        public var maxServers: Int
        /// `scaling.maxLaunchesPerPass`.
        public var maxLaunchesPerPass: Int
        /// `scaling.policy`.
        public var policy: ScalingPolicy
        /// `scaling.demand.headroomPercent`.
        public var headroomPercent: Int
        /// `scaling.demand.halfLife`, in seconds.
        public var halfLifeSeconds: Double
        /// `scaling.demand.safety`: deviations of the forecast error kept on top.
        public var safety: Double
        /// `scaling.schedule`'s entries, as labels.
        public var schedule: [String]
        /// `gameserver.health.interval`: seconds between passes (and probes).
        public var healthIntervalSeconds: Double
        /// `gameserver.health.failureThreshold`.
        public var failureThreshold: Int
        /// `gameserver.health.startupGrace`, in seconds.
        public var startupGraceSeconds: Double
        /// `allocation.strategy`.
        public var strategy: AllocationStrategy
        /// The backup address; nil when players who find no room are refused.
        public var backup: String?
    }

    /// The simulated provider and run settings.
    public struct ProviderSummary: Sendable, Equatable, Codable {
        /// The seed every random draw came from.
        public var seed: UInt64
        /// ``SimulationSettings/startupDelay`` in seconds.
        public var startupDelaySeconds: Double
        /// ``SimulationSettings/startupJitter`` in seconds.
        public var startupJitterSeconds: Double
        /// ``SimulationSettings/failuresPerServerHour``.
        public var failuresPerServerHour: Double
        /// ``SimulationSettings/warmUp`` in seconds.
        public var warmUpSeconds: Double
        /// ``SimulationSettings/passDuration`` in seconds.
        public var passDurationSeconds: Double
    }

    /// The trace as simulated.
    public var trace: TraceSummary
    /// The fleet.yaml settings used.
    public var fleet: FleetSummary
    /// The simulated provider's settings.
    public var provider: ProviderSummary
    /// Server-hours with perfect foresight and instant launches (see ``SimulationRun/lowerBoundServerHours``).
    public var lowerBoundServerHours: Double
    /// How the fleet did under gamefleet's planner, with fleet.yaml's `scaling.policy`.
    public var gamefleet: FleetOutcome
    /// How the same fleet did under the other `scaling.policy` (margin for a demand file, demand
    /// for a margin file), every other setting the same.
    public var otherPolicy: FleetOutcome
    /// How the fleet did under the old app's rules (``OldAppPlanner``), same trace and seed.
    public var oldRules: FleetOutcome
    /// The trace's bursts (``BurstOutcome``) and the players gamefleet's run (fleet.yaml's policy)
    /// sent to the backup in each; empty when the trace has none.
    public var bursts: [BurstOutcome] = []
    /// Money per day and per month (30 days) for every fleet of the report, in fleet.yaml's
    /// `cost.currency`; nil (and left out of the JSON) without `cost:`.
    public var money: MoneyReport?

    /// Puts the two runs of one trace together.
    public init(spec: FleetSpec, trace: Trace, settings: SimulationSettings, gamefleet: SimulationRun, otherPolicy: SimulationRun,
                oldRules: SimulationRun) {
        let session = trace.session ?? SessionLength(meanSeconds: 0, spreadSeconds: 0)
        self.trace = TraceSummary(
            name: trace.name, minutes: trace.minutes, arrivals: trace.totalArrivals,
            sessionMeanMinutes: session.meanSeconds / 60, sessionSpreadMinutes: session.spreadSeconds / 60,
            peakPlayers: gamefleet.peakPlayers)
        let health = spec.gameserver.health
        fleet = FleetSummary(
            name: spec.name, capacity: spec.gameserver.capacity, upscaleMargin: spec.scaling.upscaleMargin,
            downscaleMargin: spec.scaling.downscaleMargin, minServers: spec.scaling.minServers,
            maxServers: spec.scaling.maxServers, maxLaunchesPerPass: spec.scaling.maxLaunchesPerPass,
            policy: spec.scaling.policy, headroomPercent: spec.scaling.demand.headroomPercent,
            halfLifeSeconds: spec.scaling.demand.halfLife.seconds, safety: spec.scaling.demand.safety, schedule: spec.scaling.schedule.map(\.label),
            healthIntervalSeconds: health.interval.seconds, failureThreshold: health.failureThreshold,
            startupGraceSeconds: health.startupGrace.seconds, strategy: spec.allocation.strategy,
            backup: spec.allocation.backup?.description)
        provider = ProviderSummary(
            seed: settings.seed, startupDelaySeconds: settings.startupDelay.seconds,
            startupJitterSeconds: settings.startupJitter.seconds,
            failuresPerServerHour: settings.failuresPerServerHour, warmUpSeconds: settings.warmUp.seconds,
            passDurationSeconds: settings.passDuration.seconds)
        lowerBoundServerHours = gamefleet.lowerBoundServerHours
        self.gamefleet = gamefleet.outcome
        self.otherPolicy = otherPolicy.outcome
        self.oldRules = oldRules.outcome
        bursts = BurstOutcome.outcomes(trace: trace, backupByMinute: gamefleet.backupByMinute)
        money = MoneyReport(spec: spec, minutes: trace.minutes, peakPlayers: gamefleet.peakPlayers,
                            lowerBoundServerHours: lowerBoundServerHours, gamefleet: gamefleet, otherPolicy: otherPolicy, oldRules: oldRules)
    }

    /// The one-line verdict: `gamefleet (margin): 1.12× the lower bound, 0.05% to backup; demand policy:
    /// 1.1×, 0.01% to backup; old rules: 1.4×, 3% to backup`.
    public var verdict: String {
        "gamefleet (\(fleet.policy.rawValue)): \(NumberText.fixed(gamefleet.lowerBoundRatio, 2))× the lower bound, "
            + "\(NumberText.percent(gamefleet.backupPercent)) to backup; "
            + "\((otherPolicy.policy ?? .margin).rawValue) policy: \(NumberText.fixed(otherPolicy.lowerBoundRatio, 2))×, "
            + "\(NumberText.percent(otherPolicy.backupPercent)) to backup; "
            + "old rules: \(NumberText.fixed(oldRules.lowerBoundRatio, 2))×, "
            + "\(NumberText.percent(oldRules.backupPercent)) to backup"
    }

    /// The JSON form: pretty-printed, keys sorted, ending in a newline.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of numbers and strings cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
    }
}
