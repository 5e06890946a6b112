import FleetCore

/// What one simulated fleet did over a trace, under one set of scaling rules.
///
/// Every figure counts from the trace's minute 0 to its end; the warm-up before it is not counted.
/// Fractions are rounded (hours to 0.001, percentages to 0.0001, seconds to 0.1) so reports compare
/// byte for byte and read cleanly.
public struct FleetOutcome: Sendable, Equatable, Codable {
    /// Which rules drove the fleet.
    public var rules: ScalingRules
    /// Under gamefleet's rules, the `scaling.policy` it ran with; nil for the old rules.
    public var policy: ScalingPolicy?
    /// Server-hours paid for: every server from launch to stop, starting, active or in standby. The cost.
    public var serverHours: Double
    /// `serverHours` divided by the lower bound (a fleet with perfect foresight and instant launches).
    public var lowerBoundRatio: Double
    /// Most servers in existence at once.
    public var peakServers: Int
    /// Servers launched.
    public var launches: Int
    /// Servers stopped (unhealthy, or parked and drained).
    public var stops: Int
    /// Servers parked in standby.
    public var standbys: Int
    /// Standby servers taken back into service.
    public var activations: Int
    /// Planning passes run.
    public var passes: Int
    /// Players the trace brought.
    public var arrivals: Int
    /// Players who joined a gameserver.
    public var playersServedByFleet: Int
    /// Players sent to the backup server (or refused, when no backup is configured), including
    /// refused joins.
    public var playersSentToBackup: Int
    /// `playersSentToBackup` as a percentage of `arrivals`; 0 when nobody arrived.
    public var backupPercent: Double
    /// Players the allocator sent to a gameserver that turned out to be down or full (its last probe
    /// was stale); they went to the backup and are counted there too.
    public var refusedJoins: Int
    /// The longest stretch, in seconds, during which free slots on active answering servers were under
    /// `upscaleMargin`.
    public var longestUnderUpscaleMarginSeconds: Double
    /// All the time, in seconds, during which free slots were under `upscaleMargin`.
    public var timeUnderUpscaleMarginSeconds: Double
    /// All the time, in seconds, during which free slots were over `downscaleMargin`: idle capacity
    /// the planner had not parked yet.
    public var timeOverDownscaleMarginSeconds: Double
    /// Player-seconds on gameservers as a percentage of slot-seconds paid for.
    public var slotUtilisationPercent: Double
    /// Players on a server at the moment it was stopped. Must be 0: the planner never stops a server
    /// that may have players, except one that failed (whose players are already gone).
    public var playersOnStoppedServers: Int
    /// Servers that failed.
    public var serverFailures: Int
    /// Players whose game ended because their server failed.
    public var playersCutOffByFailures: Int
    /// Players in a game (on the fleet or the backup) at minute 0, after the warm-up.
    public var playersPlayingAtStart: Int
    /// Players whose session ended normally during the trace.
    public var playersFinished: Int
    /// Players still in a game when the trace ends.
    public var playersPlayingAtEnd: Int

    /// True when every player is accounted for: each arrival went to the fleet or the backup, and
    /// everyone who played either finished, was cut off (failure or stop) or is still playing.
    public var isConserved: Bool {
        arrivals == playersServedByFleet + playersSentToBackup
            && playersPlayingAtStart + arrivals
                == playersFinished + playersCutOffByFailures + playersOnStoppedServers + playersPlayingAtEnd
    }
}
