/// The fleet over time, in equal buckets: what the `--svg` chart draws.
///
/// Each bucket keeps the extremes seen during it, so a short rush or a brief dip in free slots still
/// shows however coarse the buckets are. Time 0 is the trace's minute 0; the warm-up is not kept.
public struct Timeline: Sendable, Equatable, Codable {
    /// One bucket's length in seconds.
    public var bucketSeconds: Double
    /// Most players on gameservers at any moment in the bucket.
    public var players: [Int]
    /// Most players on the backup server at any moment in the bucket.
    public var backupPlayers: [Int]
    /// Most slots paid for (servers that exist, in any state, times capacity).
    public var paidSlots: [Int]
    /// Fewest free slots on active, answering servers.
    public var freeLow: [Int]
    /// Most free slots on active, answering servers.
    public var freeHigh: [Int]
    /// Servers launched in the bucket.
    public var launches: [Int]
    /// Servers stopped in the bucket.
    public var stops: [Int]

    /// An empty timeline of `count` buckets (at least 1) over `seconds` seconds.
    public init(seconds: Double, count: Int) {
        let n = max(1, count)
        bucketSeconds = max(seconds, 1) / Double(n)
        players = Array(repeating: 0, count: n)
        backupPlayers = Array(repeating: 0, count: n)
        paidSlots = Array(repeating: 0, count: n)
        freeLow = Array(repeating: Int.max, count: n)
        freeHigh = Array(repeating: Int.min, count: n)
        launches = Array(repeating: 0, count: n)
        stops = Array(repeating: 0, count: n)
    }

    /// How many buckets.
    public var count: Int { players.count }

    /// The bucket holding time `t` (seconds from minute 0), clamped to the timeline.
    func bucket(_ t: Double) -> Int {
        min(max(Int(t / bucketSeconds), 0), players.count - 1)
    }

    /// Folds in a stretch of time from `from` to `to` during which the figures held still.
    mutating func record(from: Double, to: Double, players: Int, backup: Int, paid: Int, free: Int) {
        let first = bucket(from)
        // A stretch ending exactly on a bucket boundary does not reach into the next bucket.
        let last = max(first, bucket(to.nextDown))
        for b in first...last {
            self.players[b] = max(self.players[b], players)
            self.backupPlayers[b] = max(self.backupPlayers[b], backup)
            self.paidSlots[b] = max(self.paidSlots[b], paid)
            self.freeLow[b] = min(self.freeLow[b], free)
            self.freeHigh[b] = max(self.freeHigh[b], free)
        }
    }

    /// Closes the timeline: a bucket nothing was recorded in takes its neighbour's free slots.
    mutating func finish() {
        var lastLow = 0, lastHigh = 0
        for b in freeLow.indices {
            if freeLow[b] == Int.max { freeLow[b] = lastLow; freeHigh[b] = lastHigh }
            lastLow = freeLow[b]
            lastHigh = freeHigh[b]
        }
    }
}
