/// One simulated gameserver as it really is, as opposed to what the last probe said of it.
struct SimulatedServer {
    /// When it was launched, in seconds from minute 0.
    let launchedAt: Double
    /// When it will answer its first probe.
    let upAt: Double
    /// When it will fail; infinity for never.
    let failAt: Double
    /// True from `upAt` on.
    var isUp = false
    /// True once it failed: it no longer answers and its players are gone.
    var failed = false
    /// True once the fleet stopped it.
    var stopped = false
    var standby = false
    /// Players on it now.
    var players = 0
    /// Players the allocator sent it since its last good probe.
    var reservedSinceProbe = 0

    /// True when it counts towards the fleet's real free slots: up, working, active.
    var servesPlayers: Bool { isUp && !failed && !stopped && !standby }
}
