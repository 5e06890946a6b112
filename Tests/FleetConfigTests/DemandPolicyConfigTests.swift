import Foundation
import Testing
@testable import FleetConfig
import FleetCore

/// A fleet under the demand policy with one schedule entry, that each case breaks in one place.
let demandYAML = """
name: chess
provider: ecs
gameserver:
  capacity: 10
scaling:
  upscaleMargin: 40
  downscaleMargin: 80
  maxServers: 400
  policy: demand
  demand:
    headroomPercent: 150
    halfLife: 20m
  schedule:
    - cron: "0 20 * * fri"
      timeZone: Europe/Paris
      duration: 2h
      minFreeSlots: 3000
ecs:
  region: us-east-1
  taskDefinition: game:4
  gamePort: 7777

"""

@Suite("scaling.policy, scaling.demand and scaling.schedule")
struct DemandPolicyConfigTests {
    static let cases: [ValidationCase] = [
        ValidationCase(name: "an unknown policy", replace: "  policy: demand", with: "  policy: demands",
                       expected: "fleet.yaml:9:11: scaling.policy: expected one of margin, demand, got 'demands'; did you mean 'demand'?"),
        ValidationCase(name: "headroom under 100%", replace: "    headroomPercent: 150", with: "    headroomPercent: 90",
                       expected: "fleet.yaml:11:22: scaling.demand.headroomPercent: must be at least 100, got 90"),
        ValidationCase(name: "an unknown forecast", replace: "    halfLife: 20m", with: "    halfLife: 20m\n    forecast: net",
                       expected: "fleet.yaml:13:15: scaling.demand.forecast: expected one of arrivals, growth, got 'net'"),
        ValidationCase(name: "a negative safety", replace: "    halfLife: 20m", with: "    halfLife: 20m\n    safety: -1",
                       expected: "fleet.yaml:13:13: scaling.demand.safety: must be at least 0, got -1"),
        ValidationCase(name: "a safety past 10 deviations", replace: "    halfLife: 20m", with: "    halfLife: 20m\n    safety: 12.5",
                       expected: "fleet.yaml:13:13: scaling.demand.safety: must be at most 10, got 12.5"),
        ValidationCase(name: "a cron with four fields", replace: "\"0 20 * * fri\"", with: "\"0 20 * *\"",
                       expected: "fleet.yaml:14:13: scaling.schedule[0].cron: expected 5 fields (minute hour day-of-month month day-of-week), such as '0 20 * * 5', got 4 in '0 20 * *'"),
        ValidationCase(name: "a cron hour out of range", replace: "\"0 20 * * fri\"", with: "\"0 25 * * fri\"",
                       expected: "fleet.yaml:14:13: scaling.schedule[0].cron: hour field '25': 25 is outside 0-23"),
        ValidationCase(name: "an unknown time zone", replace: "Europe/Paris", with: "Europe/Pariss",
                       expected: "fleet.yaml:15:17: scaling.schedule[0].timeZone: unknown time zone 'Europe/Pariss': give an IANA name such as Europe/Paris or UTC (if a real zone is refused, this machine may lack time-zone data: install tzdata)"),
        ValidationCase(name: "no floor", replace: "      minFreeSlots: 3000\n", with: "",
                       expected: "fleet.yaml:14:13: scaling.schedule[0]: give minFreeSlots or minServers: the floor kept during the window"),
        ValidationCase(name: "both floors", replace: "      minFreeSlots: 3000", with: "      minFreeSlots: 3000\n      minServers: 30",
                       expected: "fleet.yaml:18:19: scaling.schedule[0]: give minFreeSlots or minServers, not both"),
        ValidationCase(name: "a server floor above maxServers", replace: "      minFreeSlots: 3000", with: "      minServers: 500",
                       expected: "fleet.yaml:17:19: scaling.schedule[0].minServers: 500 is more than scaling.maxServers 400"),
        ValidationCase(name: "a window longer than a week", replace: "duration: 2h", with: "duration: 200h",
                       expected: "fleet.yaml:16:17: scaling.schedule[0].duration: must be at most 168h, got '200h'"),
        ValidationCase(name: "a window without a duration", replace: "      duration: 2h\n", with: "",
                       expected: "fleet.yaml:14:7: scaling.schedule[0].duration: required key is missing (How long the window lasts from each opening.)"),
    ]

    @Test(arguments: cases)
    func refuses(_ c: ValidationCase) throws {
        var broken = demandYAML
        for (old, new) in [(c.replace, c.with)] + c.more {
            #expect(broken.contains(old), "the case's text \(old) is not in the file")
            broken = broken.replacingOccurrences(of: old, with: new)
        }
        let error = #expect(throws: ConfigErrors.self) { try FleetLoader.parse(broken, file: "fleet.yaml", environment: [:]) }
        #expect(error?.errors.map(\.description) == [c.expected])
    }

    @Test("safety is read as a number of deviations, whole or not", arguments: [("3", 3.0), ("2.5", 2.5), ("0", 0.0)])
    func safetyLoads(_ text: String, _ value: Double) throws {
        let yaml = demandYAML.replacingOccurrences(of: "    halfLife: 20m", with: "    halfLife: 20m\n    safety: \(text)")
        #expect(try FleetLoader.parse(yaml).scaling.demand.safety == value)
    }

    @Test func theDemandFileLoads() throws {
        let scaling = try FleetLoader.parse(demandYAML).scaling
        #expect(scaling.policy == .demand)
        #expect(scaling.demand == DemandSpec(headroomPercent: 150, smoothing: .seconds(60), halfLife: .seconds(1200), forecast: .growth, seasonal: true))
        #expect(scaling.schedule.count == 1)
        let window = try #require(scaling.schedule.first)
        #expect(window.cron.text == "0 20 * * fri" && window.timeZone.identifier == "Europe/Paris")
        #expect(window.duration == .seconds(7200) && window.minFreeSlots == 3000 && window.minServers == nil)
    }

    /// `policy: demand` and no other key gets the best settings (``DemandSpec/defaults``).
    @Test func policyDemandAloneTakesTheDefaults() throws {
        let alone = demandYAML.replacingOccurrences(of: "  demand:\n    headroomPercent: 150\n    halfLife: 20m\n", with: "")
        #expect(try FleetLoader.parse(alone).scaling.demand == DemandSpec.defaults)
        let off = demandYAML.replacingOccurrences(of: "    halfLife: 20m\n", with: "    halfLife: 20m\n    seasonal: false\n    forecast: arrivals\n")
        let demand = try FleetLoader.parse(off).scaling.demand
        #expect(!demand.seasonal && demand.forecast == .arrivals)
        let error = #expect(throws: ConfigErrors.self) {
            try FleetLoader.parse(demandYAML.replacingOccurrences(of: "    halfLife: 20m\n", with: "    halfLife: 20m\n    seasonal: sometimes\n"), file: "fleet.yaml", environment: [:])
        }
        #expect(error?.errors.map(\.description) == ["fleet.yaml:13:15: scaling.demand.seasonal: expected true or false, got 'sometimes'"])
    }

    @Test func withoutTheNewKeysTheMarginPolicyHolds() throws {
        let yaml = demandYAML.components(separatedBy: "  policy: demand")[0] + "ecs:" + demandYAML.components(separatedBy: "ecs:")[1]
        let scaling = try FleetLoader.parse(yaml).scaling
        #expect(scaling.policy == .margin && scaling.schedule.isEmpty && scaling.demand == DemandSpec())
    }
}
