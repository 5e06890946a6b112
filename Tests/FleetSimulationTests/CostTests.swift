import FleetCore
import Foundation
import Testing
@testable import FleetSimulation

/// A capacity provider strategy and the servers it puts on Spot in fleets of several sizes.
struct SpotMixCase: CustomTestStringConvertible, Sendable {
    let name: String
    let strategy: [CapacityProviderShare]
    /// Fleet size → servers on FARGATE_SPOT.
    let spot: [Int: Double]
    var testDescription: String { name }
}

/// A price, a mix and what fleets of several sizes cost an hour.
struct HourlyCostCase: CustomTestStringConvertible, Sendable {
    let name: String
    let price: FleetPrice
    /// Fleet size → cost an hour.
    let perHour: [Int: Double]
    var testDescription: String { name }
}

/// Time at each fleet size over a trace, and the money it comes to.
struct MoneyCase: CustomTestStringConvertible, Sendable {
    let name: String
    let price: FleetPrice
    /// (servers, hours) spent at that size.
    let time: [(Int, Double)]
    let minutes: Int
    let total: Double
    let perDay: Double
    let perMonth: Double
    var testDescription: String { name }
}

private let fargate = CapacityProviderShare(capacityProvider: "FARGATE", weight: 1, base: 2)
private let spot = CapacityProviderShare(capacityProvider: "FARGATE_SPOT", weight: 3)

@Suite("Cost in money")
struct CostTests {
    static let mixes: [SpotMixCase] = [
        SpotMixCase(name: "no strategy runs nothing on Spot", strategy: [], spot: [0: 0, 1: 0, 50: 0]),
        SpotMixCase(name: "FARGATE alone runs nothing on Spot", strategy: [CapacityProviderShare(capacityProvider: "FARGATE", weight: 1)],
                    spot: [10: 0]),
        SpotMixCase(name: "FARGATE_SPOT alone runs everything on Spot", strategy: [CapacityProviderShare(capacityProvider: "FARGATE_SPOT", weight: 5)],
                    spot: [0: 0, 1: 1, 7: 7]),
        SpotMixCase(name: "a base of 2 on FARGATE, then 3 of 4 on Spot", strategy: [fargate, spot],
                    spot: [0: 0, 1: 0, 2: 0, 3: 0.75, 6: 3, 10: 6]),
        SpotMixCase(name: "the base on FARGATE_SPOT counts as Spot", strategy: [
            CapacityProviderShare(capacityProvider: "FARGATE", weight: 1), CapacityProviderShare(capacityProvider: "FARGATE_SPOT", weight: 1, base: 4)],
                    spot: [3: 3, 4: 4, 6: 5]),
        SpotMixCase(name: "a Spot weight of 0 with no base is no Spot", strategy: [fargate, CapacityProviderShare(capacityProvider: "FARGATE_SPOT", weight: 0)],
                    spot: [100: 0]),
    ]

    @Test("servers on Spot follow ECS's placement: the base first, then the weights", arguments: mixes)
    func spotServers(_ c: SpotMixCase) {
        let mix = SpotMix(strategy: c.strategy)
        for (servers, expected) in c.spot {
            #expect(abs(mix.spotServers(among: servers) - expected) < 1e-9, "\(servers) servers")
        }
        #expect(mix.hasSpot == c.spot.values.contains { $0 > 0 })
    }

    static let hourly: [HourlyCostCase] = [
        HourlyCostCase(name: "a server-hour price times the servers", price: FleetPrice(onDemandServerHour: 0.05),
                       perHour: [0: 0, 1: 0.05, 40: 2]),
        HourlyCostCase(name: "Fargate: 0.5 vCPU and 1 GB at us-east-1's list prices",
                       price: FleetPrice(cost: CostSpec(price: .fargate(vcpuHour: 0.04048, gbHour: 0.004445, vcpu: 0.5, memoryGB: 1)), strategy: []),
                       perHour: [1: 0.024685, 100: 2.4685]),
        HourlyCostCase(name: "a 70% Spot discount past a base of 2 on demand",
                       price: FleetPrice(onDemandServerHour: 0.1, spotDiscountPercent: 70, mix: SpotMix(strategy: [fargate, spot])),
                       // 2 on demand; of 8 more, 6 on Spot at 0.03 and 2 on demand.
                       perHour: [2: 0.2, 10: 0.4 + 6 * 0.03]),
        HourlyCostCase(name: "a 0% discount prices Spot as on demand",
                       price: FleetPrice(onDemandServerHour: 0.1, spotDiscountPercent: 0, mix: SpotMix(strategy: [fargate, spot])),
                       perHour: [10: 1]),
    ]

    @Test("what a fleet costs an hour", arguments: hourly)
    func perHour(_ c: HourlyCostCase) {
        for (servers, expected) in c.perHour {
            #expect(abs(c.price.perHour(servers: servers) - expected) < 1e-9, "\(servers) servers: \(c.price.perHour(servers: servers))")
        }
    }

    static let money: [MoneyCase] = [
        MoneyCase(name: "a day of 10 servers at 0.05 is 12 a day and 360 a month", price: FleetPrice(onDemandServerHour: 0.05),
                  time: [(10, 24)], minutes: 1440, total: 12, perDay: 12, perMonth: 360),
        MoneyCase(name: "a 4-hour trace is scaled to a day", price: FleetPrice(onDemandServerHour: 0.5),
                  time: [(2, 1), (6, 3)], minutes: 240, total: 10, perDay: 60, perMonth: 1800),
        MoneyCase(name: "a week is divided by 7", price: FleetPrice(onDemandServerHour: 1),
                  time: [(1, 168)], minutes: 10_080, total: 168, perDay: 24, perMonth: 720),
        MoneyCase(name: "the base makes small fleets dearer per server than large ones",
                  price: FleetPrice(onDemandServerHour: 0.1, spotDiscountPercent: 70, mix: SpotMix(strategy: [fargate, spot])),
                  // 12 h at 2 servers (0.2/h) and 12 h at 10 servers (0.58/h).
                  time: [(2, 12), (10, 12)], minutes: 1440, total: 9.36, perDay: 9.36, perMonth: 280.8),
        MoneyCase(name: "an empty trace costs nothing a day", price: FleetPrice(onDemandServerHour: 1),
                  time: [], minutes: 0, total: 0, perDay: 0, perMonth: 0),
    ]

    @Test("money over a trace, a day and a month of 30 days", arguments: money)
    func spent(_ c: MoneyCase) {
        var time = FleetSizeTime()
        for (servers, hours) in c.time { time.add(hours * 3600, servers: servers) }
        let spent = c.price.spent(time, minutes: c.minutes)
        #expect(spent.total == c.total && spent.perDay == c.perDay && spent.perMonth == c.perMonth, "\(spent)")
    }

    @Test("time at each fleet size adds up to the server-hours")
    func fleetSizeTime() {
        var time = FleetSizeTime()
        time.add(1800, servers: 4)
        time.add(3600, servers: 1)
        time.add(0, servers: 99)
        time.add(-5, servers: 3)
        #expect(time.serverHours == 3)
        #expect(time.seconds.count == 5, "a zero or negative duration records no size")
    }

    @Test("amounts and prices as the reports print them", arguments: [
        (4818.904, "4,818.90"), (0, "0.00"), (-12, "-12.00"), (999.995, "1,000.00"), (-0.001, "0.00"), (1_234_567.5, "1,234,567.50"),
    ])
    func moneyText(_ value: Double, _ expected: String) {
        #expect(NumberText.money(value) == expected)
    }

    @Test("prices keep their digits, not trailing zeros", arguments: [(0.04048, "0.04048"), (2.0, "2"), (0.0074055, "0.007406"), (70, "70")])
    func priceText(_ value: Double, _ expected: String) {
        #expect(NumberText.decimal(value) == expected)
    }

    // MARK: - The report

    /// The chess fleet at `price` a server-hour, every server on demand.
    static func pricedSpec(_ price: Double = 0.05) -> FleetSpec {
        var spec = chessSpec()
        spec.cost = CostSpec(price: .perServerHour(price), currency: "EUR")
        return spec
    }

    @Test("the report's money is its server-hours at the price, scaled to a day and a 30-day month")
    func reportMoney() throws {
        let trace = smallTournament()
        let report = Simulation.report(spec: Self.pricedSpec(0.05), trace: trace, settings: testSettings()).report
        let money = try #require(report.money)
        #expect(money.currency == "EUR" && money.monthDays == 30 && money.spotServerHour == nil)
        let days = Double(trace.minutes) / 1440
        for (outcome, row) in [(report.gamefleet, money.gamefleet), (report.otherPolicy, money.otherPolicy), (report.oldRules, money.oldRules)] {
            #expect(row.serverHours == outcome.serverHours)
            // Server-hours are rounded to 0.001 h in the report, money to 0.0001.
            #expect(abs(row.spent.total - outcome.serverHours * 0.05) < 0.0001, "\(row)")
            #expect(abs(row.spent.perDay - row.spent.total / days) < 0.001)
            // Each is rounded to 0.0001 on its own; the month is 30 unrounded days.
            #expect(abs(row.spent.perMonth - row.spent.perDay * 30) < 0.005)
            #expect(abs(row.savedPerMonth - (money.fixedForPeak.spent.perMonth - row.spent.perMonth)) < 0.0002)
        }
        #expect(abs(money.lowerBound.spent.total - report.lowerBoundServerHours * 0.05) < 0.0001)
        let fixed = (report.trace.peakPlayers + 9) / 10
        #expect(money.fixedServers == max(1, fixed))
        #expect(money.fixedForPeak.serverHours == Double(money.fixedServers) * Double(trace.minutes) / 60)
        #expect(money.lowerBound.spent.total <= money.fixedForPeak.spent.total, "no fleet seats everyone for less than the lower bound")
    }

    @Test("the text report prints the money block beside server-hours, and the verdict stays last")
    func textReport() throws {
        let report = Simulation.report(spec: Self.pricedSpec(), trace: smallTournament(), settings: testSettings()).report
        let money = try #require(report.money)
        let lines = report.text().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("money in EUR: 0.05 a server-hour on demand") })
        #expect(lines[header + 1].contains("server-hours") && lines[header + 1].contains("a month (30 d)"))
        let gamefleet = lines[header + 2]
        #expect(gamefleet.hasPrefix("gamefleet, margin"))
        #expect(gamefleet.contains(NumberText.fixed(report.gamefleet.serverHours, 1)))
        #expect(gamefleet.contains(NumberText.money(money.gamefleet.spent.perDay)))
        #expect(gamefleet.contains(NumberText.money(money.gamefleet.spent.perMonth)))
        #expect(lines[header + 3].hasPrefix("demand policy") && lines[header + 4].hasPrefix("old rules"))
        #expect(lines[header + 5].hasPrefix("fixed fleet for the peak (\(money.fixedServers))"))
        #expect(lines[header + 6].hasPrefix("lower bound"))
        #expect(lines[header + 7].contains("a month: 30 days"))
        #expect(lines.last(where: { !$0.isEmpty }) == report.verdict)
        #expect(!lines.contains { $0.hasSuffix(" ") }, "no trailing spaces")
    }

    @Test("without cost: the report has no money, in text or JSON")
    func noCost() {
        let report = Simulation.report(spec: chessSpec(), trace: smallTournament(), settings: testSettings()).report
        #expect(report.money == nil)
        #expect(!report.text().contains("money"))
        #expect(!report.json().contains("\"money\""))
    }

    @Test("the JSON report carries the money and decodes back to the same report")
    func json() throws {
        let report = Simulation.report(spec: Self.pricedSpec(), trace: smallTournament(), settings: testSettings()).report
        let json = report.json()
        #expect(json.contains("\"money\"") && json.contains("\"perMonth\"") && json.contains("\"fixedForPeak\""))
        #expect(try JSONDecoder().decode(SimulationReport.self, from: Data(json.utf8)) == report)
    }

    @Test("a sweep prices every cell, and says the month is 30 days")
    func sweep() throws {
        let axes = [try SweepAxis(parsing: "upscaleMargin=10,20")]
        let result = Sweep.run(spec: Self.pricedSpec(0.05), trace: smallTournament(), settings: testSettings(), axes: axes)
        #expect(result.currency == "EUR")
        for cell in result.cells + [result.base] {
            let money = try #require(cell.money)
            #expect(abs(money.total - cell.outcome.serverHours * 0.05) < 0.0001)
        }
        let text = result.text()
        #expect(text.contains("EUR a day") && text.contains("EUR a month") && text.contains("a month is 30 days"))
        #expect(text.contains("EUR \(NumberText.money(try #require(result.base.money).perMonth)) a month"))
        let plain = Sweep.run(spec: chessSpec(), trace: smallTournament(), settings: testSettings(), axes: axes)
        #expect(plain.currency == nil && plain.cells.allSatisfy { $0.money == nil } && !plain.text().contains("a month"))
    }
}
