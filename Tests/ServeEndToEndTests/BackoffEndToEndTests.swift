import Foundation
import Testing

/// Failed launches back off instead of turning serve into a busy loop of passes, spawns and logs.
@Suite("gamefleet serve when every launch fails", .serialized, .timeLimit(.minutes(5)))
struct BackoffEndToEndTests {
    static let passes = "gamefleet_pass_duration_seconds_count"
    static let failedLaunches = #"gamefleet_actions_total{kind="launch",reason="belowUpscaleMargin",result="failed"}"#

    /// A gameserver command that exits at once, a fleet of 3 and one launch per pass: every pass is
    /// cut short by the cap and every launch fails. Passes must keep the interval's pace, no faster.
    @Test func passesStayBoundedWhileEveryLaunchFails() async throws {
        try await ServeProcess.run({ file in
            file.command = ["/bin/sh", "-c", "exit 3", "gameserver", "{port}"]
            file.minServers = 3
            file.maxLaunchesPerPass = 1
        }) { serve in
            try await serve.waitFor("GET /readyz answering 200", within: .seconds(60)) {
                try await serve.get("/readyz").status == 200 ? true : nil
            }
            try await serve.waitFor("a failed launch", within: .seconds(60)) {
                (try await serve.metric(Self.failedLaunches) ?? 0) > 0 ? true : nil
            }
            // The loop keeps retrying: three more passes and three more failed launches, however long a
            // loaded machine takes for them. Then the pace, over at least 6 s: the interval alone allows
            // 2.5 passes a second and the backoff waits at least half of it between requeued passes, so
            // 40 in 6 s is generous for scheduling; a busy loop makes thousands. A loaded machine can
            // only make fewer passes, so this upper bound does not depend on how busy it is.
            let before = try await serve.metric(Self.passes) ?? 0
            let failedBefore = try await serve.metric(Self.failedLaunches) ?? 0
            let clock = ContinuousClock()
            let started = clock.now
            try await serve.waitFor("three more passes and three more failed launches", within: .seconds(90)) {
                let passes = (try await serve.metric(Self.passes) ?? 0) - before
                let failed = (try await serve.metric(Self.failedLaunches) ?? 0) - failedBefore
                return passes >= 3 && failed >= 3 ? true : nil
            }
            let minimum = Duration.seconds(6)
            if clock.now - started < minimum { try await Task.sleep(for: minimum - (clock.now - started)) }
            let passes = (try await serve.metric(Self.passes) ?? 0) - before
            let failed = (try await serve.metric(Self.failedLaunches) ?? 0) - failedBefore
            let elapsed = clock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("serve, every launch failing (interval 400ms, cap 1 launch/pass): \(Int(passes)) passes in \(elapsed) = \(Int(passes * 60 / seconds)) per minute; \(Int(failed)) failed launches")
            #expect(passes <= 40 * seconds / 6, "\(Int(passes)) passes in \(elapsed)\(serve.report())")

            let fleet = try await serve.get("/v1/fleet").body
            let json = try JSONSerialization.jsonObject(with: Data(fleet.utf8)) as? [String: Any]
            let backoff = (json?["backoff"] as? [[String: Any]])?.first
            #expect(backoff?["kind"] as? String == "launch", "\(fleet)")
            #expect((backoff?["consecutiveFailures"] as? Int ?? 0) >= 1, "\(fleet)")
            #expect((backoff?["lastError"] as? String)?.contains("exit 3") == true, "\(fleet)")

            try await ServeEndToEndTests.expectCleanStop(serve, gameservers: 0)
        }
    }
}
