import Foundation
import Testing

/// `gamefleet simulate` with the shipped example prices: the money block docs/simulator.md shows.
@Suite("gamefleet simulate: money")
struct SimulateMoneyTests {
    @Test("examples/chess-demand.yaml prints money a day and a month beside the server-hours, in text and JSON")
    func exampleFilePrintsMoney() async throws {
        let arguments = ["simulate", "-c", "examples/chess-demand.yaml", "--trace", "examples/traces/flash-crowd.csv", "--warm-up", "0s"]
        let text = try await CLIRunner.run(arguments)
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("money in USD: 0.5 vCPU × 0.04048 + 1 GB × 0.004445 = 0.024685 a server-hour on demand; the first 2 servers on demand, 75% of the rest on FARGATE_SPOT at 70% off") })
        for label in ["gamefleet, demand", "margin policy", "old rules", "fixed fleet for the peak (", "lower bound  "] {
            #expect(lines.contains { $0.hasPrefix(label) }, "no money row \(label)")
        }
        #expect(lines.contains { $0.hasPrefix("a day: the trace's 240 min scaled to 24 h; a month: 30 days") })

        let json = try await CLIRunner.run(arguments + ["--output", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let money = try #require(report["money"] as? [String: Any])
        #expect(money["currency"] as? String == "USD" && money["monthDays"] as? Int == 30)
        let gamefleet = try #require(money["gamefleet"] as? [String: Any])
        let serverHours = try #require((report["gamefleet"] as? [String: Any])?["serverHours"] as? Double)
        #expect(gamefleet["serverHours"] as? Double == serverHours)
        let spent = try #require(gamefleet["spent"] as? [String: Any])
        let total = try #require(spent["total"] as? Double)
        // Every server-hour costs between the Spot price and the on-demand price.
        #expect(total >= serverHours * 0.024685 * 0.3 - 0.001 && total <= serverHours * 0.024685 + 0.001, "\(total) for \(serverHours) h")
    }

    @Test("a fleet.yaml without cost: prints no money")
    func noCostNoMoney() async throws {
        let r = try await CLIRunner.run(["simulate", "-c", "examples/chess-fleet.yaml", "--trace", "examples/traces/flash-crowd.csv", "--warm-up", "0s"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("money"))
    }
}
