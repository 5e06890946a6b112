import Foundation
import Testing

/// Failed launches back off instead of turning serve into a busy loop of passes, spawns and logs.
@Suite("gamefleet serve when every launch fails", .serialized, .timeLimit(.minutes(2)))
struct BackoffEndToEndTests {
    static let passes = "gamefleet_pass_duration_seconds_count"
    static let failedLaunches = #"gamefleet_actions_total{kind="launch",reason="belowUpscaleMargin",result="failed"}"#

    /// A gameserver command that exits at once, a fleet of 3 and one launch per pass: every pass is
    /// cut short by the cap and every launch fails. Passes must keep roughly the interval's pace.
    @Test func passesStayBoundedWhileEveryLaunchFails() async throws {
        try await ServeProcess.run({ file in
            file.command = ["/bin/sh", "-c", "exit 3", "gameserver", "{port}"]
            file.minServers = 3
            file.maxLaunchesPerPass = 1
        }) { serve in
            try await serve.waitFor("GET /readyz answering 200", within: .seconds(20)) {
                try await serve.get("/readyz").status == 200 ? true : nil
            }
            try await serve.waitFor("a failed launch", within: .seconds(10)) {
                (try await serve.metric(Self.failedLaunches) ?? 0) > 0 ? true : nil
            }
            let window = Duration.seconds(6)
            let windowSeconds = 6.0
            let before = try await serve.metric(Self.passes) ?? 0
            let failedBefore = try await serve.metric(Self.failedLaunches) ?? 0
            try await Task.sleep(for: window)
            let passes = (try await serve.metric(Self.passes) ?? 0) - before
            let failed = (try await serve.metric(Self.failedLaunches) ?? 0) - failedBefore
            let perMinute = passes * 60 / windowSeconds
            print("serve, every launch failing (interval 400ms, cap 1 launch/pass): \(Int(passes)) passes in \(window) = \(Int(perMinute)) per minute; \(Int(failed)) failed launches")

            // The interval alone allows 15 passes in 6 s; the backoff waits at least half of it
            // between requeued passes. 40 is generous for scheduling; a busy loop makes thousands.
            #expect(passes <= 40, "\(Int(passes)) passes in 6 s\(serve.report())")
            #expect(passes >= 3, "the loop must keep retrying: \(Int(passes)) passes in 6 s\(serve.report())")
            #expect(failed >= 3, "failed launches keep counting: \(Int(failed))")

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
