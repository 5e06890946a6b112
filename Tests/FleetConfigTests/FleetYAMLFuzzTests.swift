import Foundation
import FleetCore
import FuzzSupport
import PropertyBased
import Testing
@testable import FleetConfig

/// Mutated copies of the shipped fleet.yaml files: the loader never crashes or hangs, refuses with
/// errors that name the file, line, column (and key, where there is one), and what it accepts stays
/// inside ``FleetBounds`` and plans without trapping.
@Suite("Fuzzing fleet.yaml")
struct FleetYAMLFuzzTests {
    static let mutator = Mutator(
        seeds: Fuzz.seeds(["fleet.yaml", "examples/chess.yaml", "examples/chess-fleet.yaml", "examples/ecs-ec2.yaml",
                           "examples/fargate.yaml", "examples/invalid/many-errors.yaml"]),
        nesting: ["[", "{", "- ", "a:\n ", "? ", "&a [*a, "],
        dictionary: fieldNames(FleetSchema.root) + [
            "${PORT}", "${UNSET}", "${CAPACITY:-9223372036854775807}", "$${", "~", "null", "!!binary ", "!!int ", "*a", "&a ",
            "<<: *a\n", "|\n", ">-\n", "---\n", "...\n", "\t", "\r\n", "'", "\"", "#", ": ", "1h1ms", "9223372036854775807h",
        ])

    static func fieldNames(_ fields: [Field]) -> [String] {
        fields.flatMap { field -> [String] in
            if case .object(let children) = field.kind { return [field.name + ":"] + fieldNames(children) }
            return [field.name + ": "]
        }
    }

    enum Outcome: Sendable {
        case accepted(problems: [String])
        case refused(ConfigErrors)
    }

    /// Loads `text`; an accepted spec is checked against the bounds and planned once.
    static func load(_ text: String) -> Outcome {
        let spec: FleetSpec
        do {
            spec = try FleetLoader.parse(text, file: "fuzz.yaml", environment: ["PORT": "7000", "CAPACITY": "10"])
        } catch {
            return .refused(error)
        }
        var problems: [String] = []
        let health = spec.gameserver.health, scaling = spec.scaling
        if !FleetBounds.capacity.contains(spec.gameserver.capacity) { problems.append("capacity \(spec.gameserver.capacity)") }
        if !FleetBounds.margin.contains(scaling.upscaleMargin) { problems.append("upscaleMargin \(scaling.upscaleMargin)") }
        if !FleetBounds.margin.contains(scaling.downscaleMargin) { problems.append("downscaleMargin \(scaling.downscaleMargin)") }
        if !FleetBounds.servers.contains(scaling.minServers) { problems.append("minServers \(scaling.minServers)") }
        if !FleetBounds.servers.contains(scaling.maxServers) { problems.append("maxServers \(scaling.maxServers)") }
        if !FleetBounds.launchesPerPass.contains(scaling.maxLaunchesPerPass) { problems.append("maxLaunchesPerPass \(scaling.maxLaunchesPerPass)") }
        if !FleetBounds.failureThreshold.contains(health.failureThreshold) { problems.append("failureThreshold \(health.failureThreshold)") }
        if health.interval > FleetBounds.interval || health.interval <= .zero { problems.append("interval \(health.interval)") }
        if health.timeout > FleetBounds.timeout || health.timeout >= health.interval { problems.append("timeout \(health.timeout)") }
        if health.startupGrace > FleetBounds.startupGrace || health.startupGrace < .zero { problems.append("startupGrace \(health.startupGrace)") }
        // The planner's arithmetic over the accepted numbers, on a small fleet.
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let servers = (0..<3).map { i in
            ObservedServer(id: "s\(i)", address: HostPort(host: "127.0.0.1", port: 7000 + i), taskDefinition: spec.taskDefinition,
                           launchedAt: now.addingTimeInterval(-600),
                           health: HealthRecord(availableCapacity: i, readyToClose: i == 0, lastSuccessAt: now))
        }
        let plan = Planner.plan(spec: spec, observed: ObservedState(servers: servers), now: now)
        if plan.actions.filter({ $0.kind == .launch }).count > scaling.maxLaunchesPerPass { problems.append("plan launches past maxLaunchesPerPass") }
        _ = DurationText.format(health.interval) + DurationText.format(health.timeout) + DurationText.format(health.startupGrace)
        return .accepted(problems: problems)
    }

    @Test func noMutatedFileCrashesHangsOrIsRefusedWithoutALocation() async {
        await Fuzz.run(Self.mutator, check: { Self.load($0.text) }) { input, outcome in
            switch outcome {
            case .accepted(let problems):
                #expect(problems.isEmpty, "accepted a spec outside its bounds: \(problems) from \(input)")
            case .refused(let errors):
                #expect(!errors.errors.isEmpty, "refused with no error: \(input)")
                for error in errors.errors {
                    #expect(error.file == "fuzz.yaml" && error.line >= 1 && error.column >= 1 && !error.message.isEmpty,
                            "an error without its location or message: \(error) from \(input)")
                    #expect(!error.message.hasPrefix("YAML error:"), "an unexplained YAML error: \(error) from \(input)")
                }
            }
        }
    }
}
