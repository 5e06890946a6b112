import Foundation

/// The config one replica runs, as replicas tell each other: the hash of fleet.yaml's bytes and
/// the source's version (nil for a file).
public struct ReplicaConfig: Sendable, Equatable, Codable {
    public var hash: String
    public var version: String?

    public init(hash: String, version: String? = nil) {
        self.hash = hash
        self.version = version
    }

    /// `version 4 (1a2b3c4d5e6f7a8b)`, or the hash alone.
    public var text: String { version.map { "version \($0) (\(hash))" } ?? hash }
}

/// Whether the replicas of an `ha` fleet run the same config, as one replica knows it.
///
/// The replicas already talk every half loan: a follower's loan report says which config it runs,
/// and the leader's grant says which config the leader runs. The leader remembers each follower's
/// last word; a follower remembers the leader's. Only the leader's config acts (it plans and
/// applies; followers hand out what it lends), so drift means "a follower would act differently if
/// it led": a warning for the operator, never a reason to change what the fleet does.
///
/// Times are FleetState's injected `now`; a replica not heard from for ``forgetAfter`` is
/// forgotten (it stopped, or cannot reach the leader: the lease and loan status say which).
public struct ConfigAgreement: Sendable, Equatable {
    struct Heard: Sendable, Equatable {
        var config: ReplicaConfig
        var at: Date
    }

    private(set) var followers: [String: Heard] = [:]
    private(set) var leaderID: String?
    private(set) var leaderHeard: Heard?

    public init() {}

    /// Leader: `follower` reported running `config` at `time`.
    public mutating func heard(follower: String, runs config: ReplicaConfig, at time: Date) {
        followers[follower] = Heard(config: config, at: time)
    }

    /// Follower: the leader `id` answered a loan request saying it runs `config`.
    public mutating func heard(leader id: String, runs config: ReplicaConfig, at time: Date) {
        leaderID = id
        leaderHeard = Heard(config: config, at: time)
    }

    /// What `/v1/fleet`'s `ha.config` shows and `gamefleet_config_drift` says, for a replica running
    /// `own` that leads (or not) at `now`.
    public func view(own: ReplicaConfig, leading: Bool, at now: Date, forgetAfter: Duration) -> ConfigAgreementSnapshot {
        func entry(_ replica: String, _ heard: Heard, role: String) -> ConfigAgreementSnapshot.Replica? {
            let age = Duration.seconds(now.timeIntervalSince(heard.at))
            guard age <= forgetAfter else { return nil }
            return .init(replica: replica, role: role, hash: heard.config.hash, version: heard.config.version,
                         matches: heard.config.hash == own.hash, heardSecondsAgo: Double(age.milliseconds) / 1000)
        }
        let others: [ConfigAgreementSnapshot.Replica]
        if leading {
            others = followers.sorted { $0.key < $1.key }.compactMap { entry($0.key, $0.value, role: "follower") }
        } else {
            others = leaderID.flatMap { id in leaderHeard.flatMap { entry(id, $0, role: "leader") } }.map { [$0] } ?? []
        }
        return ConfigAgreementSnapshot(
            drift: others.contains { !$0.matches }, own: own, replicas: others,
            acting: leading ? "this replica's (it leads)" : others.first.map { "the leader's: \(ReplicaConfig(hash: $0.hash, version: $0.version).text)" } ?? "the leader's (not heard from)")
    }

    /// How long a replica's last word counts: three lease durations (a live follower reports every
    /// half loan, a fiftieth of that; a leader answers as often).
    public static func forgetAfter(_ ha: HASpec) -> Duration { ha.leaseDuration * 3 }
}

/// `/v1/fleet`'s `ha.config`.
public struct ConfigAgreementSnapshot: Sendable, Equatable, Codable {
    public struct Replica: Sendable, Equatable, Codable {
        public var replica: String
        /// `leader` or `follower`.
        public var role: String
        public var hash: String
        public var version: String?
        /// Runs the same bytes as this replica.
        public var matches: Bool
        public var heardSecondsAgo: Double
    }

    /// True while a replica heard from runs other bytes than this one.
    public var drift: Bool
    /// The config this replica runs.
    public var own: ReplicaConfig
    /// Leader: each follower heard from lately. Follower: the leader, once it answered.
    public var replicas: [Replica]
    /// Whose config acts: always the leader's.
    public var acting: String

    /// One line for the status page and logs (decided here, shown as it is elsewhere).
    public var text: String

    public init(drift: Bool, own: ReplicaConfig, replicas: [Replica], acting: String) {
        self.drift = drift
        self.own = own
        self.replicas = replicas
        self.acting = acting
        let differing = replicas.filter { !$0.matches }
        if replicas.isEmpty {
            text = "runs \(own.text); no other replica heard from lately; the leader's config acts"
        } else if differing.isEmpty {
            text = "all \(replicas.count + 1) replicas heard from run \(own.text)"
        } else {
            let list = differing.map { "\($0.role) \($0.replica) runs \(ReplicaConfig(hash: $0.hash, version: $0.version).text)" }.joined(separator: "; ")
            text = "DRIFT: this replica runs \(own.text); \(list). The config that acts: \(acting)"
        }
    }
}
