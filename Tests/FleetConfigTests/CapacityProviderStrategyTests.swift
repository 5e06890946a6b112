import Foundation
import Testing
@testable import FleetConfig
import FleetCore

/// An ECS fleet with a capacity provider strategy that each case breaks in one place.
let strategyYAML = """
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

"""

@Suite("ecs.capacityProviderStrategy")
struct CapacityProviderStrategyTests {
    static let cases: [ValidationCase] = [
        ValidationCase(name: "a strategy beside an explicit launchType", replace: "  gamePort: 7777", with: "  gamePort: 7777\n  launchType: FARGATE",
                       expected: "fleet.yaml:12:15: ecs.launchType: give ecs.launchType or ecs.capacityProviderStrategy, not both: with a strategy ECS picks the launch type from the capacity providers (remove launchType)"),
        ValidationCase(name: "an explicit EC2 launchType is refused too, although it is the default", replace: "  gamePort: 7777", with: "  gamePort: 7777\n  launchType: EC2",
                       expected: "fleet.yaml:12:15: ecs.launchType: give ecs.launchType or ecs.capacityProviderStrategy, not both: with a strategy ECS picks the launch type from the capacity providers (remove launchType)"),
        ValidationCase(name: "an empty provider name", replace: "    - capacityProvider: FARGATE_SPOT", with: "    - capacityProvider: \"\"",
                       expected: "fleet.yaml:16:25: ecs.capacityProviderStrategy[1].capacityProvider: must not be empty: name a capacity provider such as FARGATE or FARGATE_SPOT"),
        ValidationCase(name: "every weight 0", replace: "      weight: 3", with: "      weight: 0",
                       expected: "fleet.yaml:13:5: ecs.capacityProviderStrategy: every weight is 0, so ECS could place no task past the bases; give at least one capacity provider a weight above 0")
            .withReplacement("      weight: 1", "      weight: 0"),
        ValidationCase(name: "a weight past ECS's 1000", replace: "      weight: 3", with: "      weight: 1001",
                       expected: "fleet.yaml:17:15: ecs.capacityProviderStrategy[1].weight: must be at most 1000, got 1001"),
        ValidationCase(name: "a negative weight", replace: "      weight: 3", with: "      weight: -1",
                       expected: "fleet.yaml:17:15: ecs.capacityProviderStrategy[1].weight: must be at least 0, got -1"),
        ValidationCase(name: "a base past ECS's 100000", replace: "      base: 2", with: "      base: 100001",
                       expected: "fleet.yaml:15:13: ecs.capacityProviderStrategy[0].base: must be at most 100000, got 100001"),
        ValidationCase(name: "an item without its weight", replace: "    - capacityProvider: FARGATE_SPOT\n      weight: 3", with: "    - capacityProvider: FARGATE_SPOT",
                       expected: "fleet.yaml:16:7: ecs.capacityProviderStrategy[1].weight: required key is missing (Relative share of the tasks launched past the bases.)"),
        ValidationCase(name: "a misspelt item key", replace: "      weight: 3", with: "      wieght: 3",
                       expected: "fleet.yaml:17:7: ecs.capacityProviderStrategy[1].wieght: unknown key 'wieght'; did you mean 'weight'?"),
        ValidationCase(name: "two bases", replace: "      weight: 3", with: "      weight: 3\n      base: 1",
                       expected: "fleet.yaml:13:5: ecs.capacityProviderStrategy: only one capacity provider may have a base above 0, got FARGATE, FARGATE_SPOT"),
        ValidationCase(name: "a provider named twice", replace: "    - capacityProvider: FARGATE_SPOT", with: "    - capacityProvider: FARGATE",
                       expected: "fleet.yaml:16:25: ecs.capacityProviderStrategy[1].capacityProvider: FARGATE is named twice; give each capacity provider once"),
        ValidationCase(name: "Fargate and an Auto Scaling group provider mixed", replace: "    - capacityProvider: FARGATE_SPOT", with: "    - capacityProvider: my-asg",
                       expected: "fleet.yaml:13:5: ecs.capacityProviderStrategy: mixes Fargate (FARGATE) and Auto Scaling group capacity providers (my-asg); ECS accepts one kind per strategy"),
        ValidationCase(name: "an empty list", replace: "  capacityProviderStrategy:\n    - capacityProvider: FARGATE\n      weight: 1\n      base: 2\n    - capacityProvider: FARGATE_SPOT\n      weight: 3",
                       with: "  capacityProviderStrategy: []",
                       expected: "fleet.yaml:12:29: ecs.capacityProviderStrategy: must not be empty (leave the key out instead)"),
        ValidationCase(name: "a list of words instead of mappings", replace: "  capacityProviderStrategy:\n    - capacityProvider: FARGATE\n      weight: 1\n      base: 2\n    - capacityProvider: FARGATE_SPOT\n      weight: 3",
                       with: "  capacityProviderStrategy: [FARGATE]",
                       expected: "fleet.yaml:12:30: ecs.capacityProviderStrategy[0]: expected a mapping of keys (capacityProvider, weight, base), got the value 'FARGATE'"),
        ValidationCase(name: "a single mapping instead of a list", replace: "  capacityProviderStrategy:\n    - capacityProvider: FARGATE\n      weight: 1\n      base: 2\n    - capacityProvider: FARGATE_SPOT\n      weight: 3",
                       with: "  capacityProviderStrategy: {capacityProvider: FARGATE, weight: 1}",
                       expected: "fleet.yaml:12:29: ecs.capacityProviderStrategy: expected a list of mappings, each with keys capacityProvider, weight, base, got a mapping"),
        ValidationCase(name: "a Fargate strategy still needs subnets", replace: "  subnets: [subnet-1]\n", with: "",
                       expected: "fleet.yaml:9:3: ecs.subnets: FARGATE tasks use awsvpc networking and need at least one subnet"),
        ValidationCase(name: "a strategy beside a launch template", replace: "  subnets: [subnet-1]", with: "  subnets: [subnet-1]\n  launchTemplate: lt-0123",
                       expected: "fleet.yaml:19:19: ecs.launchTemplate: a launch template starts an instance per gameserver itself; with ecs.capacityProviderStrategy ECS finds the capacity (remove one of them)"),
    ]

    @Test(arguments: cases)
    func refuses(_ c: ValidationCase) throws {
        var broken = strategyYAML
        for (old, new) in [(c.replace, c.with)] + c.more {
            #expect(broken.contains(old), "the case's text \(old) is not in the file")
            broken = broken.replacingOccurrences(of: old, with: new)
        }
        let error = #expect(throws: ConfigErrors.self) { try FleetLoader.parse(broken, file: "fleet.yaml", environment: [:]) }
        #expect(error?.errors.map(\.description) == [c.expected])
    }

    @Test("A Fargate strategy loads in order, with base 0 by default, and implies Fargate networking")
    func fargateStrategyLoads() throws {
        let spec = try FleetLoader.parse(strategyYAML)
        let ecs = try #require(spec.ecs)
        #expect(ecs.capacityProviderStrategy == [
            CapacityProviderShare(capacityProvider: "FARGATE", weight: 1, base: 2),
            CapacityProviderShare(capacityProvider: "FARGATE_SPOT", weight: 3, base: 0),
        ])
        #expect(ecs.launchType == .fargate)
    }

    @Test("An Auto Scaling group strategy implies EC2 networking and needs no subnets")
    func autoScalingStrategyLoads() throws {
        let yaml = strategyYAML
            .replacingOccurrences(of: "    - capacityProvider: FARGATE\n      weight: 1\n      base: 2\n    - capacityProvider: FARGATE_SPOT\n      weight: 3",
                                  with: "    - {capacityProvider: games-asg, weight: 1}")
            .replacingOccurrences(of: "  subnets: [subnet-1]\n", with: "")
        let ecs = try #require(try FleetLoader.parse(yaml).ecs)
        #expect(ecs.capacityProviderStrategy == [CapacityProviderShare(capacityProvider: "games-asg", weight: 1)])
        #expect(ecs.launchType == .ec2)
    }

    @Test("Without a strategy, nothing changes: launchType as given, no strategy")
    func noStrategy() throws {
        let yaml = strategyYAML
            .replacingOccurrences(of: "  capacityProviderStrategy:\n    - capacityProvider: FARGATE\n      weight: 1\n      base: 2\n    - capacityProvider: FARGATE_SPOT\n      weight: 3",
                                  with: "  launchType: FARGATE\n  capacityProviderStrategy: null")
        let ecs = try #require(try FleetLoader.parse(yaml).ecs)
        #expect(ecs.capacityProviderStrategy.isEmpty)
        #expect(ecs.launchType == .fargate)
    }

    @Test("The JSON Schema describes the list: items closed, bounds as ECS's, provider and weight required")
    func schema() throws {
        let properties = try #require(JSONSchemaWriter.schema()["properties"] as? [String: Any])
        let ecs = try #require(properties["ecs"] as? [String: Any])
        // ecs is nullable: its object is the first of anyOf.
        let ecsObject = try #require((ecs["anyOf"] as? [[String: Any]])?.first)
        let ecsKeys = try #require(ecsObject["properties"] as? [String: Any])
        let strategy = try #require(ecsKeys["capacityProviderStrategy"] as? [String: Any])
        let list = try #require((strategy["anyOf"] as? [[String: Any]])?.first)
        #expect(list["type"] as? String == "array")
        #expect(list["minItems"] as? Int == 1)
        let items = try #require(list["items"] as? [String: Any])
        #expect(items["additionalProperties"] as? Bool == false)
        #expect(items["required"] as? [String] == ["capacityProvider", "weight"])
        let itemKeys = try #require(items["properties"] as? [String: Any])
        let weight = try #require((itemKeys["weight"] as? [String: Any])?["anyOf"] as? [[String: Any]])
        #expect(weight.first?["minimum"] as? Int == 0)
        #expect(weight.first?["maximum"] as? Int == 1000)
        let base = try #require((itemKeys["base"] as? [String: Any])?["anyOf"] as? [[String: Any]])
        #expect(base.first?["maximum"] as? Int == 100_000)
        #expect((itemKeys["base"] as? [String: Any])?["default"] as? Int == 0)
        // And it is still JSON.
        #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(JSONSchemaWriter.json().utf8)) }
    }
}
