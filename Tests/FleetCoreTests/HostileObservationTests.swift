import Foundation
import Testing
@testable import FleetCore

/// Observations that no honest provider sends, but a hand-written `--observed` file or a broken
/// API answer can: the planner still plans, and counters never trap.
@Suite("Hostile observations")
struct HostileObservationTests {
    /// A launch time so far back (ECS's `createdAt` is epoch seconds, so -1e300 decodes) that its age
    /// does not fit an Int: the reason text used to trap converting it.
    @Test(arguments: [-1e300, -1e20, -Double.greatestFiniteMagnitude])
    func aServerLaunchedBeforeTimeBeganIsStillJudged(launchedAt: Double) {
        var ancient = server("ancient", free: nil)
        ancient.launchedAt = Date(timeIntervalSince1970: launchedAt)
        let plan = Planner.plan(spec: spec(), observed: ObservedState(servers: [ancient, server("s1", free: 2)]), now: now)
        let stop = plan.actions.first { $0.kind == .stop && $0.server == "ancient" }
        #expect(stop?.reason.contains("never answered its health probe within startupGrace 2m") == true)
    }

    /// A launch time far in the future is a server that only just started: kept, counted as starting.
    @Test func aServerLaunchedInTheFarFutureCountsAsStarting() {
        var future = server("future", free: nil)
        future.launchedAt = Date(timeIntervalSince1970: 1e300)
        let plan = Planner.plan(spec: spec(), observed: ObservedState(servers: [future]), now: now)
        #expect(!plan.actions.contains { $0.kind == .stop })
        #expect(plan.summary.starting == 1)
    }

    /// `consecutiveFailures: Int.max` in an observed file, then one more failed probe.
    @Test func aFailureCountAtItsLimitStaysThere() {
        var record = HealthRecord(availableCapacity: 3, readyToClose: false, consecutiveFailures: .max, lastSuccessAt: now)
        record.recordFailure()
        #expect(record.consecutiveFailures == .max)
    }

    /// Free slots past anything a capacity allows are clamped, however many servers claim them.
    @Test func hugeReportedCapacitiesAreClamped() {
        var servers: [ObservedServer] = []
        for i in 0..<50 {
            var s = server("s\(i)", free: .max)
            s.health.availableCapacity = .max
            servers.append(s)
        }
        let plan = Planner.plan(spec: spec(capacity: FleetBounds.capacity.upperBound, upscale: 4, downscale: FleetBounds.margin.upperBound),
                                observed: ObservedState(servers: servers), now: now)
        #expect(plan.summary.freeSlots == 50 * FleetBounds.capacity.upperBound)
    }

    /// Durations format without trapping, even ones no fleet.yaml can hold.
    @Test(arguments: [Duration.seconds(Int64.max), .seconds(Int64.min), .milliseconds(Int64.max)])
    func extremeDurationsFormat(_ duration: Duration) {
        #expect(!DurationText.format(duration).isEmpty)
    }
}
