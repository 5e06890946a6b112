import Foundation
import Testing
@testable import FleetConfig
import FleetCore

/// A Fargate fleet with Spot beside on-demand and a `cost:` section, that each case breaks in one place.
let costYAML = """
name: spot
provider: ecs
gameserver:
  capacity: 8
scaling:
  upscaleMargin: 8
  downscaleMargin: 24
ecs:
  region: us-east-1
  taskDefinition: game:4
  gamePort: 7777
  capacityProviderStrategy:
    - capacityProvider: FARGATE
      weight: 1
      base: 2
    - capacityProvider: FARGATE_SPOT
      weight: 3
  subnets: [subnet-1]
cost:
  vcpuHour: 0.04048
  gbHour: 0.004445
  vcpu: 0.5
  memoryGB: 1
  spotDiscountPercent: 70
  currency: EUR

"""

/// The Fargate price keys of ``costYAML``, to swap for `serverHour`.
let costFargateKeys = "  vcpuHour: 0.04048\n  gbHour: 0.004445\n  vcpu: 0.5\n  memoryGB: 1\n"

@Suite("cost: prices for the simulator's money")
struct CostConfigTests {
    static let cases: [ValidationCase] = [
        // Out of bounds.
        ValidationCase(name: "a task smaller than Fargate's smallest", replace: "  vcpu: 0.5", with: "  vcpu: 0.1",
                       expected: "fleet.yaml:22:9: cost.vcpu: must be at least 0.25, got 0.1"),
        ValidationCase(name: "a task larger than Fargate's largest", replace: "  memoryGB: 1", with: "  memoryGB: 121",
                       expected: "fleet.yaml:23:13: cost.memoryGB: must be at most 120, got 121"),
        ValidationCase(name: "a free vCPU-hour", replace: "  vcpuHour: 0.04048", with: "  vcpuHour: 0",
                       expected: "fleet.yaml:20:13: cost.vcpuHour: must be more than 0, got 0"),
        ValidationCase(name: "a negative price", replace: "  gbHour: 0.004445", with: "  gbHour: -0.004445",
                       expected: "fleet.yaml:21:11: cost.gbHour: must be more than 0, got -0.004445"),
        ValidationCase(name: "a price past the bound", replace: costFargateKeys, with: "  serverHour: 1000000.01\n",
                       expected: "fleet.yaml:20:15: cost.serverHour: must be at most 1000000, got 1000000.01"),
        ValidationCase(name: "Spot for free", replace: "  spotDiscountPercent: 70", with: "  spotDiscountPercent: 100",
                       expected: "fleet.yaml:24:24: cost.spotDiscountPercent: must be at most 99, got 100"),
        ValidationCase(name: "a currency label too long to be one", replace: "  currency: EUR", with: "  currency: US-Dollars",
                       expected: "fleet.yaml:25:13: cost.currency: expected a short label such as USD, EUR or ₹ (1 to 8 characters, no spaces), got 'US-Dollars'"),
        // Wrong type.
        ValidationCase(name: "a quoted price", replace: "  gbHour: 0.004445", with: "  gbHour: \"0.004445\"",
                       expected: "fleet.yaml:21:11: cost.gbHour: expected a number such as 0.0408 (digits, a point, digits), got the quoted string \"0.004445\""),
        ValidationCase(name: "an exponent is not how a price is written", replace: "  gbHour: 0.004445", with: "  gbHour: 4.445e-3",
                       expected: "fleet.yaml:21:11: cost.gbHour: expected a number such as 0.0408 (digits, a point, digits), got '4.445e-3'"),
        ValidationCase(name: "a word for a price", replace: "  vcpuHour: 0.04048", with: "  vcpuHour: cheap",
                       expected: "fleet.yaml:20:13: cost.vcpuHour: expected a number such as 0.0408 (digits, a point, digits), got 'cheap'"),
        ValidationCase(name: "a list for a size", replace: "  vcpu: 0.5", with: "  vcpu: [0.5, 1]",
                       expected: "fleet.yaml:22:9: cost.vcpu: expected a single value, got a list"),
        ValidationCase(name: "a number for the section", replace: "cost:\n" + costFargateKeys + "  spotDiscountPercent: 70\n  currency: EUR\n", with: "cost: 0.05\n",
                       expected: "fleet.yaml:19:7: cost: expected a mapping of keys (serverHour, vcpuHour, gbHour, vcpu, memoryGB, spotDiscountPercent, currency), got the value '0.05'"),
        // Misspelt.
        ValidationCase(name: "a misspelt price key", replace: "  vcpuHour: 0.04048", with: "  vcpuHours: 0.04048",
                       expected: "fleet.yaml:20:3: cost.vcpuHours: unknown key 'vcpuHours'; did you mean 'vcpuHour'?"),
        ValidationCase(name: "a misspelt discount", replace: "  spotDiscountPercent: 70", with: "  spotDiscountPrecent: 70",
                       expected: "fleet.yaml:24:3: cost.spotDiscountPrecent: unknown key 'spotDiscountPrecent'; did you mean 'spotDiscountPercent'?"),
        // Rules across keys.
        ValidationCase(name: "both forms of price", replace: "  vcpuHour: 0.04048", with: "  serverHour: 0.05\n  vcpuHour: 0.04048",
                       expected: "fleet.yaml:21:13: cost.vcpuHour: give cost.serverHour, or Fargate's vcpuHour, gbHour, vcpu and memoryGB, not both (remove vcpuHour, gbHour, vcpu, memoryGB or serverHour)"),
        ValidationCase(name: "a Fargate price without the task's vCPU", replace: "  vcpu: 0.5\n", with: "",
                       expected: "fleet.yaml:20:3: cost.vcpu: is missing: a Fargate price needs vcpuHour, gbHour, vcpu and memoryGB (vcpuHour, gbHour, memoryGB given), or give serverHour instead"),
        ValidationCase(name: "no price at all", replace: costFargateKeys, with: "",
                       expected: "fleet.yaml:20:3: cost: give a price: serverHour (per server-hour, e.g. serverHour: 0.0416), or Fargate's vcpuHour, gbHour, vcpu and memoryGB (e.g. vcpuHour: 0.04048, gbHour: 0.004445, vcpu: 0.5, memoryGB: 1)"),
        ValidationCase(name: "Spot in the strategy but no discount", replace: "  spotDiscountPercent: 70\n", with: "",
                       expected: "fleet.yaml:20:3: cost.spotDiscountPercent: ecs.capacityProviderStrategy puts servers on FARGATE_SPOT: give their discount off the on-demand price, e.g. spotDiscountPercent: 70 (write 0 to price them as on demand)"),
        ValidationCase(name: "a discount with no server on Spot", replace: "      weight: 3", with: "      weight: 0",
                       expected: "fleet.yaml:24:24: cost.spotDiscountPercent: no server runs on FARGATE_SPOT (ecs.capacityProviderStrategy gives it no weight or base, or the fleet has no strategy), so there is nothing to discount; remove it or add FARGATE_SPOT to the strategy"),
    ]

    @Test(arguments: cases)
    func refuses(_ c: ValidationCase) throws {
        var broken = costYAML
        for (old, new) in [(c.replace, c.with)] + c.more {
            #expect(broken.contains(old), "the case's text \(old) is not in the file")
            broken = broken.replacingOccurrences(of: old, with: new)
        }
        let error = #expect(throws: ConfigErrors.self) { try FleetLoader.parse(broken, file: "fleet.yaml", environment: [:]) }
        #expect(error?.errors.map(\.description) == [c.expected])
    }

    @Test func theFargatePriceLoads() throws {
        let cost = try #require(try FleetLoader.parse(costYAML).cost)
        #expect(cost == CostSpec(price: .fargate(vcpuHour: 0.04048, gbHour: 0.004445, vcpu: 0.5, memoryGB: 1), spotDiscountPercent: 70, currency: "EUR"))
        #expect(abs(cost.price.serverHour - 0.024685) < 1e-12)
    }

    @Test("a price per server-hour, written as people write decimals, with the default currency")
    func aServerHourPriceLoads() throws {
        for (written, price) in [("0.0416", 0.0416), ("2", 2.0), (".5", 0.5), ("3.", 3.0), ("${PRICE}", 0.25)] {
            let text = costYAML.replacingOccurrences(of: costFargateKeys, with: "  serverHour: \(written)\n")
                .replacingOccurrences(of: "  currency: EUR\n", with: "")
            let cost = try #require(try FleetLoader.parse(text, environment: ["PRICE": "0.25"]).cost, "\(written)")
            #expect(cost == CostSpec(price: .perServerHour(price), spotDiscountPercent: 70, currency: "USD"), "\(written)")
        }
    }

    @Test("without cost: (or with cost: null) there is no price, and no Spot rule")
    func noCost() throws {
        let without = costYAML.components(separatedBy: "cost:\n").first!
        #expect(try FleetLoader.parse(without).cost == nil)
        #expect(try FleetLoader.parse(without + "cost: null\n").cost == nil)
    }

    @Test("a local fleet prices its servers with serverHour, none of them on Spot")
    func localFleet() throws {
        let local = """
        name: chess
        provider: local
        gameserver:
          capacity: 10
        scaling:
          upscaleMargin: 4
          downscaleMargin: 20
        local:
          command: ["sample-gameserver", "--port", "{port}"]
        cost:
          serverHour: 0.0832
          currency: "€"

        """
        #expect(try FleetLoader.parse(local).cost == CostSpec(price: .perServerHour(0.0832), currency: "€"))
        let error = #expect(throws: ConfigErrors.self) {
            try FleetLoader.parse(local + "  spotDiscountPercent: 70\n")
        }
        #expect(error?.errors.first?.path == "cost.spotDiscountPercent")
    }

    @Test("gamefleet schema publishes the section with its bounds, a price's lower bound excluded")
    func schema() throws {
        let properties = try #require(JSONSchemaWriter.schema()["properties"] as? [String: Any])
        let nullable = try #require((properties["cost"] as? [String: Any])?["anyOf"] as? [[String: Any]])
        let cost = try #require(nullable.first?["properties"] as? [String: Any])
        #expect(Set(cost.keys) == ["serverHour", "vcpuHour", "gbHour", "vcpu", "memoryGB", "spotDiscountPercent", "currency"])
        func number(_ key: String) throws -> [String: Any] {
            try #require(((cost[key] as? [String: Any])?["anyOf"] as? [[String: Any]])?.first)
        }
        #expect(try number("vcpuHour")["exclusiveMinimum"] as? Double == 0)
        #expect(try number("vcpuHour")["maximum"] as? Double == 1_000_000)
        #expect(try number("vcpu")["minimum"] as? Double == 0.25)
        #expect(try number("spotDiscountPercent")["maximum"] as? Double == 99)
        #expect((cost["currency"] as? [String: Any])?["default"] as? String == CostSpec.defaultCurrency)
    }
}
