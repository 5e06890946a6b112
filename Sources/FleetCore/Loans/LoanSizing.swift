import Foundation

/// How many slots a follower should hold, from its recent allocation rate: enough for a whole
/// loan's life (it asks again at half of it, so one grant is used, not hoarded), never less than
/// ``minimum`` so a quiet follower answers its next player without a round trip, and never more
/// than its share of what the leader has free.
public enum LoanSizing {
    /// Slots held even by a follower that handed out none lately.
    public static let minimum = 2

    /// The holding a follower with `rate` allocations a second should have for loans of `duration`.
    /// A rate of zero, a negative or non-finite one gives ``minimum``.
    public static func target(rate: Double, duration: Duration) -> Int {
        guard rate.isFinite, rate > 0 else { return minimum }
        let wanted = (rate * duration.seconds).rounded(.up)
        return max(minimum, wanted >= Double(Int32.max) ? Int(Int32.max) : Int(wanted))
    }

    /// The most a follower may hold when the leader has `free` slots on its own books (the loans
    /// already outstanding excluded) and `followers` followers hold or ask for loans: an equal share
    /// among them and the leader, so no replica takes the fleet's last slots from the others.
    public static func share(free: Int, followers: Int) -> Int {
        max(0, free) / (max(1, followers) + 1)
    }

    /// The next smoothed rate: a higher measure is taken at once (a follower whose demand grows gets
    /// a larger loan at its next request), a lower one halves the distance (a lull does not take
    /// away the loan a burst needs).
    public static func smoothed(previous: Double, measured: Double) -> Double {
        guard measured.isFinite, measured >= 0 else { return previous }
        return measured >= previous ? measured : (previous + measured) / 2
    }
}
