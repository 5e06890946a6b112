import FleetCore
@testable import FleetRuntime
import Foundation
import Testing

/// `/v1/fleet`'s `launchFailures` and the pacing metric, from a pass's outcomes.
@Suite("Launch failures and pacing in what serve publishes")
struct LaunchFailureBookTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func launch(_ error: String?, code: String? = nil, host: String? = nil, paced: Double? = nil) -> ActionOutcome {
        var outcome = ActionOutcome(
            action: Action(kind: .launch, server: host, taskDefinition: "game:1", code: .belowUpscaleMargin, reason: "r"),
            error: error, failureCode: code)
        outcome.pacedSeconds = paced
        return outcome
    }

    @Test("Only failed launches are kept, newest pass first, at most 20, with the provider's reason")
    func keepsTheLastTwenty() {
        var book = LaunchFailureBook()
        let stop = ActionOutcome(action: Action(kind: .stop, server: "s1", code: .readyToClose, reason: "r"), error: "denied")
        book.fold([Self.launch(nil), stop], at: Self.t0)
        #expect(book.failures.isEmpty, "a success and a failed stop are no launch failures")

        book.fold([Self.launch("RunTask started 0 of 2; failures: RESOURCE:MEMORY", code: "RESOURCE:MEMORY"),
                   Self.launch("host i-1: RunTask started 0 of 1", code: "AGENT", host: "i-1")], at: Self.t0)
        #expect(book.failures.map(\.reason) == ["RESOURCE:MEMORY", "AGENT"])
        #expect(book.failures.map(\.host) == [nil, "i-1"])
        for pass in 1...12 {
            book.fold([Self.launch("ecs RunTask failed after 3 attempts: HTTP 400 ThrottlingException", code: nil),
                       Self.launch("ecs RunTask failed after 3 attempts: HTTP 400 ThrottlingException", code: nil)],
                      at: Self.t0.addingTimeInterval(Double(pass)))
        }
        #expect(book.failures.count == LaunchFailureBook.kept)
        #expect(book.failures.first?.at == Self.t0.addingTimeInterval(12))
        #expect(book.failures.last?.at == Self.t0.addingTimeInterval(3))
        #expect(book.failures.allSatisfy { $0.reason == nil && $0.error.contains("ThrottlingException") })
    }

    @Test("Seconds an action waited for the API's rate add up in gamefleet_actions_paced_seconds_total by kind")
    func pacingMetric() {
        let metrics = FleetMetrics()
        let plan = Plan(actions: [], summary: Plan.Summary(freeSlots: 0, upscaleMargin: 1, downscaleMargin: 2, servers: 0, active: 0, standby: 0, starting: 0, unhealthy: 0, outdated: 0))
        metrics.recordPass(plan: plan, outcomes: [Self.launch(nil, paced: 1.25), Self.launch(nil, paced: 0.25), Self.launch(nil)], probeFailures: 0, duration: .seconds(1))
        let text = metrics.render()
        #expect(text.contains(#"gamefleet_actions_paced_seconds_total{kind="launch"} 1.5"#), "\(text.split(separator: "\n").filter { $0.contains("paced") })")
        #expect(text.contains(#"gamefleet_actions_paced_seconds_total{kind="stop"} 0"#))
    }
}
