import FleetCore
import Testing
@testable import FleetConfig

/// Every integer and duration in fleet.yaml has an upper bound: values past it are refused with the
/// file, line, column and key, never accepted and never an arithmetic trap further on.
@Suite("fleet.yaml bounds")
struct BoundsTests {
    static let cases: [ValidationCase] = [
        ValidationCase(name: "capacity of Int.max (trapped `gamefleet validate` before)", replace: "  capacity: 10", with: "  capacity: 9223372036854775807",
                       expected: "fleet.yaml:4:13: gameserver.capacity: must be at most 100000, got 9223372036854775807"),
        ValidationCase(name: "capacity past Int.max", replace: "  capacity: 10", with: "  capacity: 99999999999999999999999",
                       expected: "fleet.yaml:4:13: gameserver.capacity: must be at most 100000, got 99999999999999999999999"),
        ValidationCase(name: "capacity just past its bound", replace: "  capacity: 10", with: "  capacity: 100001",
                       expected: "fleet.yaml:4:13: gameserver.capacity: must be at most 100000, got 100001"),
        ValidationCase(name: "minServers of Int.min", replace: "  minServers: 1", with: "  minServers: -9223372036854775808",
                       expected: "fleet.yaml:14:15: scaling.minServers: must be at least 0, got -9223372036854775808"),
        ValidationCase(name: "minServers far below Int.min", replace: "  minServers: 1", with: "  minServers: -99999999999999999999999",
                       expected: "fleet.yaml:14:15: scaling.minServers: must be at least 0, got -99999999999999999999999"),
        ValidationCase(name: "maxServers of Int.max", replace: "  maxServers: 50", with: "  maxServers: 9223372036854775807",
                       expected: "fleet.yaml:15:15: scaling.maxServers: must be at most 100000, got 9223372036854775807"),
        ValidationCase(name: "upscaleMargin of Int.max", replace: "  upscaleMargin: 4", with: "  upscaleMargin: 9223372036854775807",
                       expected: "fleet.yaml:12:18: scaling.upscaleMargin: must be at most 10000000, got 9223372036854775807"),
        ValidationCase(name: "downscaleMargin of Int.max", replace: "  downscaleMargin: 18", with: "  downscaleMargin: 9223372036854775807",
                       expected: "fleet.yaml:13:20: scaling.downscaleMargin: must be at most 10000000, got 9223372036854775807"),
        ValidationCase(name: "maxLaunchesPerPass past its bound", replace: "  maxLaunchesPerPass: 10", with: "  maxLaunchesPerPass: 1001",
                       expected: "fleet.yaml:16:23: scaling.maxLaunchesPerPass: must be at most 1000, got 1001"),
        ValidationCase(name: "failureThreshold of Int.max", replace: "    failureThreshold: 2", with: "    failureThreshold: 9223372036854775807",
                       expected: "fleet.yaml:9:23: gameserver.health.failureThreshold: must be at most 1000, got 9223372036854775807"),
        ValidationCase(name: "an interval of 9999999999h", replace: "    interval: 10s", with: "    interval: 9999999999h",
                       expected: "fleet.yaml:7:15: gameserver.health.interval: must be at most 1h, got '9999999999h'"),
        ValidationCase(name: "an interval past what any clock holds", replace: "    interval: 10s", with: "    interval: 99999999999999999999999999h",
                       expected: "fleet.yaml:7:15: gameserver.health.interval: must be at most 1h, got '99999999999999999999999999h'"),
        ValidationCase(name: "an interval whose parts overflow when added", replace: "    interval: 10s", with: "    interval: 9223372036854775807ms9223372036854775807ms",
                       expected: "fleet.yaml:7:15: gameserver.health.interval: must be at most 1h, got '9223372036854775807ms9223372036854775807ms'"),
        ValidationCase(name: "an interval just past its bound", replace: "    interval: 10s", with: "    interval: 1h1ms",
                       expected: "fleet.yaml:7:15: gameserver.health.interval: must be at most 1h, got '1h1ms'"),
        ValidationCase(name: "a timeout past its bound", replace: "    timeout: 2s", with: "    timeout: 6m",
                       expected: "fleet.yaml:8:14: gameserver.health.timeout: must be at most 5m, got '6m'"),
        ValidationCase(name: "a startupGrace of Int64.max hours", replace: "    startupGrace: 120s", with: "    startupGrace: 9223372036854775807h",
                       expected: "fleet.yaml:10:19: gameserver.health.startupGrace: must be at most 24h, got '9223372036854775807h'"),
        ValidationCase(name: "a health port of Int.max", replace: "    path: /health/", with: "    path: /health/\n    port: 9223372036854775807",
                       expected: "fleet.yaml:7:11: gameserver.health.port: expected a port number 1-65535, got '9223372036854775807'"),
        ValidationCase(name: "a port range past Int.max", replace: "  ports: 7000-7099", with: "  ports: 7000-99999999999999999999999",
                       expected: "fleet.yaml:24:10: local.ports: expected a port range such as 7000-7099 (low-high, ports 1-65535), got '7000-99999999999999999999999'"),
    ]

    @Test(arguments: cases)
    func refuses(_ c: ValidationCase) throws {
        #expect(validYAML.contains(c.replace), "the case's text is not in the valid file")
        let broken = validYAML.replacingOccurrences(of: c.replace, with: c.with)
        let error = #expect(throws: ConfigErrors.self) { try FleetLoader.parse(broken, file: "fleet.yaml", environment: [:]) }
        #expect(error?.errors.map(\.description) == [c.expected])
    }

    /// The largest value of each key is accepted: the bounds are inclusive, and the arithmetic the
    /// loader does over them (the margin gap) cannot overflow.
    @Test func theBoundsThemselvesLoad() throws {
        let yaml = """
            name: big
            provider: local
            gameserver:
              capacity: 100000
              health: {interval: 1h, timeout: 5m, failureThreshold: 1000, startupGrace: 24h}
            scaling: {upscaleMargin: 1, downscaleMargin: 10000000, minServers: 100000, maxServers: 100000, maxLaunchesPerPass: 1000}
            local: {command: [server, "{port}"]}
            """
        let spec = try FleetLoader.parse(yaml, environment: [:])
        #expect(spec.gameserver.capacity == FleetBounds.capacity.upperBound)
        #expect(spec.gameserver.health.interval == FleetBounds.interval)
        #expect(spec.scaling.maxServers == FleetBounds.servers.upperBound)
    }

    /// The margin-gap message adds the margins and capacity: at their bounds it still reads right.
    @Test func theGapRuleAtTheBoundsReportsInsteadOfTrapping() {
        let yaml = """
            name: big
            provider: local
            gameserver: {capacity: 100000}
            scaling: {upscaleMargin: 10000000, downscaleMargin: 10000000}
            local: {command: [server, "{port}"]}
            """
        let error = #expect(throws: ConfigErrors.self) { try FleetLoader.parse(yaml, environment: [:]) }
        #expect(error?.errors.first?.description.contains("Try downscaleMargin: 10100001 or more") == true)
    }

    /// `gamefleet schema` publishes the same bounds: `maximum` on integers, the longest duration in
    /// the description (a string pattern cannot say it).
    @Test func theJSONSchemaCarriesTheBounds() throws {
        let properties = try #require(JSONSchemaWriter.schema()["properties"] as? [String: Any])
        let gameserver = try #require((properties["gameserver"] as? [String: Any])?["properties"] as? [String: Any])
        let capacity = try #require(gameserver["capacity"] as? [String: Any])
        let integer = try #require((capacity["anyOf"] as? [[String: Any]])?.first)
        #expect(integer["minimum"] as? Int == 1)
        #expect(integer["maximum"] as? Int == 100_000)
        let health = try #require((gameserver["health"] as? [String: Any])?["properties"] as? [String: Any])
        #expect((health["interval"] as? [String: Any])?["description"] as? String == "Time between reconcile passes; each pass probes every server once. At most 1h.")
        let scaling = try #require((properties["scaling"] as? [String: Any])?["properties"] as? [String: Any])
        for (key, maximum) in [("upscaleMargin", 10_000_000), ("downscaleMargin", 10_000_000), ("minServers", 100_000), ("maxServers", 100_000), ("maxLaunchesPerPass", 1000)] {
            let anyOf = try #require((scaling[key] as? [String: Any])?["anyOf"] as? [[String: Any]])
            #expect(anyOf.first?["maximum"] as? Int == maximum, "\(key)")
        }
    }

    /// A value that came from `${VAR}` is bounded the same way.
    @Test func aSubstitutedValueIsBoundedToo() {
        let broken = validYAML.replacingOccurrences(of: "  capacity: 10", with: "  capacity: ${CAP}")
        let error = #expect(throws: ConfigErrors.self) {
            try FleetLoader.parse(broken, file: "fleet.yaml", environment: ["CAP": "9223372036854775807"])
        }
        #expect(error?.errors.first?.path == "gameserver.capacity")
        #expect(error?.errors.first?.line == 4)
    }
}
