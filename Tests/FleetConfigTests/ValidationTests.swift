import Testing
@testable import FleetConfig
import FleetCore

/// A valid fleet.yaml that each case breaks in one place.
let validYAML = """
name: chess
provider: local
gameserver:
  capacity: 10
  health:
    path: /health/
    interval: 10s
    timeout: 2s
    failureThreshold: 2
    startupGrace: 120s
scaling:
  upscaleMargin: 4
  downscaleMargin: 18
  minServers: 1
  maxServers: 50
  maxLaunchesPerPass: 10
allocation:
  strategy: packed
  backup: 127.0.0.1:8888
listen: 127.0.0.1:8000
local:
  command: [".build/debug/sample-gameserver", "--port", "{port}", "--capacity", "{capacity}"]
  host: 127.0.0.1
  ports: 7000-7099

"""

/// One broken file and the one error it must produce.
struct ValidationCase: CustomTestStringConvertible, Sendable {
    let name: String
    /// Replace this exact text of the valid file...
    let replace: String
    /// ...with this.
    let with: String
    /// The whole expected error line.
    let expected: String
    /// Further replacements, made after the first.
    var more: [(String, String)] = []
    var testDescription: String { name }

    /// The case with one more replacement.
    func withReplacement(_ old: String, _ new: String) -> ValidationCase {
        var copy = self
        copy.more.append((old, new))
        return copy
    }
}

@Suite("fleet.yaml validation")
struct ValidationTests {
    static let cases: [ValidationCase] = [
        ValidationCase(name: "unknown key with a near miss", replace: "  upscaleMargin: 4", with: "  upscaleMargin: 4\n  maxServer: 3",
                       expected: "fleet.yaml:13:3: scaling.maxServer: unknown key 'maxServer'; did you mean 'maxServers'?"),
        ValidationCase(name: "unknown key far from any known one", replace: "listen: 127.0.0.1:8000", with: "listen: 127.0.0.1:8000\ncolour: blue",
                       expected: "fleet.yaml:21:1: colour: unknown key 'colour'; known keys here: name, provider, gameserver, scaling, allocation, listen, admin, connections, ecs, local, ha, cost"),
        ValidationCase(name: "a misspelt required key is reported once, with its suggestion", replace: "  upscaleMargin: 4", with: "  upscaleMargn: 4",
                       expected: "fleet.yaml:12:3: scaling.upscaleMargn: unknown key 'upscaleMargn'; did you mean 'upscaleMargin'?"),
        ValidationCase(name: "a word where a count belongs", replace: "  capacity: 10", with: "  capacity: ten",
                       expected: "fleet.yaml:4:13: gameserver.capacity: expected a whole number, got 'ten'"),
        ValidationCase(name: "a quoted number is a string", replace: "  capacity: 10", with: "  capacity: \"10\"",
                       expected: "fleet.yaml:4:13: gameserver.capacity: expected a whole number, got the quoted string \"10\""),
        ValidationCase(name: "a fraction where a count belongs", replace: "  maxServers: 50", with: "  maxServers: 2.5",
                       expected: "fleet.yaml:15:15: scaling.maxServers: expected a whole number, got '2.5'"),
        ValidationCase(name: "a list where a value belongs", replace: "  minServers: 1", with: "  minServers: [1]",
                       expected: "fleet.yaml:14:15: scaling.minServers: expected a single value, got a list"),
        ValidationCase(name: "a value where a mapping belongs", replace: "allocation:\n  strategy: packed\n  backup: 127.0.0.1:8888", with: "allocation: packed",
                       expected: "fleet.yaml:17:13: allocation: expected a mapping of keys (strategy, backup, rateLimit, trustedProxies), got the value 'packed'"),
        ValidationCase(name: "zero capacity", replace: "  capacity: 10", with: "  capacity: 0",
                       expected: "fleet.yaml:4:13: gameserver.capacity: must be at least 1, got 0"),
        ValidationCase(name: "negative minServers", replace: "  minServers: 1", with: "  minServers: -1",
                       expected: "fleet.yaml:14:15: scaling.minServers: must be at least 0, got -1"),
        ValidationCase(name: "zero failureThreshold", replace: "    failureThreshold: 2", with: "    failureThreshold: 0",
                       expected: "fleet.yaml:9:23: gameserver.health.failureThreshold: must be at least 1, got 0"),
        ValidationCase(name: "zero maxLaunchesPerPass", replace: "  maxLaunchesPerPass: 10", with: "  maxLaunchesPerPass: 0",
                       expected: "fleet.yaml:16:23: scaling.maxLaunchesPerPass: must be at least 1, got 0"),
        ValidationCase(name: "minServers above maxServers", replace: "  minServers: 1", with: "  minServers: 60",
                       expected: "fleet.yaml:14:15: scaling.minServers: minServers 60 is more than maxServers 50"),
        ValidationCase(name: "margins without the gap that prevents flapping", replace: "  downscaleMargin: 18", with: "  downscaleMargin: 14",
                       expected: "fleet.yaml:13:20: scaling.downscaleMargin: downscaleMargin - upscaleMargin must be more than gameserver.capacity (14 - 4 = 10, capacity 10): parking one server in standby removes up to 10 free slots, and without that gap it would drop the fleet under the upscale margin, which launches again, and the fleet flaps. Try downscaleMargin: 15 or more"),
        ValidationCase(name: "a backup without a port", replace: "  backup: 127.0.0.1:8888", with: "  backup: 127.0.0.1",
                       expected: "fleet.yaml:19:11: allocation.backup: expected host:port (e.g. 127.0.0.1:8888, a port 1-65535), got '127.0.0.1'"),
        ValidationCase(name: "a backup port out of range", replace: "  backup: 127.0.0.1:8888", with: "  backup: 127.0.0.1:70000",
                       expected: "fleet.yaml:19:11: allocation.backup: expected host:port (e.g. 127.0.0.1:8888, a port 1-65535), got '127.0.0.1:70000'"),
        ValidationCase(name: "a duration without a unit", replace: "    interval: 10s", with: "    interval: 10",
                       expected: "fleet.yaml:7:15: gameserver.health.interval: expected a duration such as 500ms, 10s, 2m or 1h, got '10'"),
        ValidationCase(name: "a duration in words", replace: "    startupGrace: 120s", with: "    startupGrace: two minutes",
                       expected: "fleet.yaml:10:19: gameserver.health.startupGrace: expected a duration such as 500ms, 10s, 2m or 1h, got 'two minutes'"),
        ValidationCase(name: "a zero interval", replace: "    interval: 10s", with: "    interval: 0s",
                       expected: "fleet.yaml:7:15: gameserver.health.interval: must be longer than zero"),
        ValidationCase(name: "a probe timeout as long as the interval", replace: "    timeout: 2s", with: "    timeout: 10s",
                       expected: "fleet.yaml:8:14: gameserver.health.timeout: timeout 10s must be shorter than interval 10s, or one slow server would hold up the pass"),
        ValidationCase(name: "the local provider without its section", replace: "local:\n  command: [\".build/debug/sample-gameserver\", \"--port\", \"{port}\", \"--capacity\", \"{capacity}\"]\n  host: 127.0.0.1\n  ports: 7000-7099\n", with: "",
                       expected: "fleet.yaml:2:11: provider: provider is local but there is no local: section (command is required)"),
        ValidationCase(name: "the ecs provider without its section", replace: "provider: local", with: "provider: ecs",
                       expected: "fleet.yaml:2:11: provider: provider is ecs but there is no ecs: section (region, taskDefinition and gamePort are required)"),
        ValidationCase(name: "an unknown provider", replace: "provider: local", with: "provider: kubernetes",
                       expected: "fleet.yaml:2:11: provider: expected one of local, ecs, got 'kubernetes'"),
        ValidationCase(name: "a near-miss strategy", replace: "  strategy: packed", with: "  strategy: spred",
                       expected: "fleet.yaml:18:13: allocation.strategy: expected one of packed, spread, got 'spred'; did you mean 'spread'?"),
        ValidationCase(name: "a missing required key", replace: "name: chess\n", with: "",
                       expected: "fleet.yaml:1:1: name: required key is missing (Fleet name; tags what gamefleet launches, so fleets sharing a cluster never touch each other.)"),
        ValidationCase(name: "a local command without {port}", replace: "\"--port\", \"{port}\", ", with: "",
                       expected: "fleet.yaml:22:12: local.command: must contain {port}, or every gameserver would try the same port"),
        ValidationCase(name: "a reversed port range", replace: "  ports: 7000-7099", with: "  ports: 7099-7000",
                       expected: "fleet.yaml:24:10: local.ports: expected a port range such as 7000-7099 (low-high, ports 1-65535), got '7099-7000'"),
        ValidationCase(name: "a local state file that is a directory", replace: "  ports: 7000-7099", with: "  ports: 7000-7099\n  stateFile: state/",
                       expected: "fleet.yaml:25:14: local.stateFile: expected a file path such as .gamefleet/chess.state.json, got 'state/'"),
        ValidationCase(name: "an unset environment variable", replace: "  capacity: 10", with: "  capacity: ${GAMEFLEET_TEST_UNSET}",
                       expected: "fleet.yaml:4:13: gameserver.capacity: environment variable GAMEFLEET_TEST_UNSET is not set (write ${GAMEFLEET_TEST_UNSET:-default} to give a default)"),
        ValidationCase(name: "a fleet name that cannot tag anything", replace: "name: chess", with: "name: chess club!",
                       expected: "fleet.yaml:1:7: name: use letters, digits, '-' and '_' only (it becomes an ECS startedBy value and tags), got 'chess club!'"),
        ValidationCase(name: "a YAML syntax error", replace: "  capacity: 10", with: "  capacity: [10",
                       expected: "fleet.yaml:5:9: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 4, column 13)"),
        ValidationCase(name: "a key given twice", replace: "  capacity: 10", with: "  capacity: 10\n  capacity: 12",
                       expected: "fleet.yaml:4:3: duplicate key(s) capacity in one mapping; each key may appear once"),
    ]

    @Test(arguments: cases)
    func refuses(_ c: ValidationCase) throws {
        #expect(validYAML.contains(c.replace), "the case's text is not in the valid file")
        let broken = validYAML.replacingOccurrences(of: c.replace, with: c.with)
        let error = #expect(throws: ConfigErrors.self) { try FleetLoader.parse(broken, file: "fleet.yaml", environment: [:]) }
        #expect(error?.errors.map(\.description) == [c.expected])
    }

    @Test func theValidFileLoads() throws {
        let spec = try FleetLoader.parse(validYAML, environment: [:])
        #expect(spec.name == "chess")
        #expect(spec.provider == .local)
        #expect(spec.gameserver == GameserverSpec(capacity: 10, health: HealthSpec(path: "/health/", port: nil, interval: .seconds(10), timeout: .seconds(2), failureThreshold: 2, startupGrace: .seconds(120))))
        #expect(spec.scaling == ScalingSpec(upscaleMargin: 4, downscaleMargin: 18, minServers: 1, maxServers: 50, maxLaunchesPerPass: 10))
        #expect(spec.allocation == AllocationSpec(strategy: .packed, backup: HostPort(host: "127.0.0.1", port: 8888)))
        #expect(spec.listen == HostPort(host: "127.0.0.1", port: 8000))
        #expect(spec.local == LocalSpec(command: [".build/debug/sample-gameserver", "--port", "{port}", "--capacity", "{capacity}"], host: "127.0.0.1", ports: 7000...7099))
        #expect(spec.ecs == nil)
    }

    @Test func defaultsFillWhatIsLeftOut() throws {
        let spec = try FleetLoader.parse("""
            name: tiny
            provider: local
            gameserver: {capacity: 4}
            scaling: {upscaleMargin: 2, downscaleMargin: 7}
            local: {command: [server, "{port}"]}
            """)
        #expect(spec.gameserver.health == HealthSpec())
        #expect(spec.scaling == ScalingSpec(upscaleMargin: 2, downscaleMargin: 7, minServers: 1, maxServers: 50, maxLaunchesPerPass: 10))
        #expect(spec.allocation == AllocationSpec(strategy: .packed, backup: nil))
        #expect(spec.local?.ports == 7000...7099)
    }

    @Test func everyErrorIsReportedAtOnce() {
        let broken = validYAML
            .replacingOccurrences(of: "  capacity: 10", with: "  capacity: -3")
            .replacingOccurrences(of: "  strategy: packed", with: "  strategy: fullest")
            .replacingOccurrences(of: "  minServers: 1", with: "  minServers: 99")
            .replacingOccurrences(of: "listen: 127.0.0.1:8000", with: "listen: nowhere")
        let error = #expect(throws: ConfigErrors.self) { try FleetLoader.parse(broken) }
        #expect(error?.errors.map(\.path) == ["gameserver.capacity", "scaling.minServers", "allocation.strategy", "listen"])
    }

    @Test func environmentVariablesAreSubstituted() throws {
        let yaml = validYAML
            .replacingOccurrences(of: "  capacity: 10", with: "  capacity: ${CAPACITY}")
            .replacingOccurrences(of: "  backup: 127.0.0.1:8888", with: "  backup: ${BACKUP_HOST:-127.0.0.1}:${BACKUP_PORT:-9999}")
            .replacingOccurrences(of: "  downscaleMargin: 18", with: "  downscaleMargin: \"${DOWN}\"")
        let spec = try FleetLoader.parse(yaml, environment: ["CAPACITY": "12", "BACKUP_HOST": "10.1.2.3", "DOWN": "30"])
        #expect(spec.gameserver.capacity == 12)
        #expect(spec.scaling.downscaleMargin == 30)
        #expect(spec.allocation.backup == HostPort(host: "10.1.2.3", port: 9999))
    }

    @Test func anEcsSectionLoads() throws {
        let yaml = validYAML.replacingOccurrences(of: "provider: local", with: "provider: ecs") + """
            ecs:
              region: ap-south-1
              cluster: games
              taskDefinition: LaunchGameserver:7
              gamePort: 8888
              launchType: EC2
              launchTemplate: defaultECS
              endpoint: null
            """
        let spec = try FleetLoader.parse(yaml)
        #expect(spec.ecs == ECSSpec(region: "ap-south-1", cluster: "games", taskDefinition: "LaunchGameserver:7", gamePort: 8888,
                                    launchType: .ec2, launchTemplate: "defaultECS", endpoint: nil))
        #expect(spec.taskDefinition == "LaunchGameserver:7")
    }

    @Test func anEmptyFileIsRefused() {
        let error = #expect(throws: ConfigErrors.self) { try FleetLoader.parse("# nothing here\n") }
        #expect(error?.errors.first?.message.contains("empty") == true)
    }

    @Test func aMissingFileNamesThePath() {
        let error = #expect(throws: ConfigErrors.self) { try FleetLoader.load(path: "/nonexistent/fleet.yaml") }
        #expect(error?.description == "/nonexistent/fleet.yaml: cannot read the file: no such file")
    }
}
