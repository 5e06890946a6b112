import Foundation
import Testing

/// Hostile files given to the real binary: each is refused with exit status 1 and a message naming
/// the file, line and field, where before a trap killed the process (status 132/133/134) or it hung.
@Suite("Hostile input to the CLI")
struct HostileInputTests {
    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    struct YAMLCase: CustomTestStringConvertible, Sendable {
        let name: String
        let replace: String
        let with: String
        let expected: String
        var testDescription: String { name }
    }

    static let yamlCases: [YAMLCase] = [
        YAMLCase(name: "capacity Int.max", replace: "  capacity: 10                # player slots per gameserver            (old GAMESERVER_CAPACITY)",
                 with: "  capacity: 9223372036854775807", expected: ":6:13: gameserver.capacity: must be at most 100000, got 9223372036854775807"),
        YAMLCase(name: "interval 9999999999h", replace: "    interval: 10s             # (old SLEEP_TIME)",
                 with: "    interval: 9999999999h", expected: ":10:15: gameserver.health.interval: must be at most 1h, got '9999999999h'"),
        YAMLCase(name: "maxServers 2^63-1", replace: "  maxServers: 50", with: "  maxServers: 9223372036854775807",
                 expected: ":18:15: scaling.maxServers: must be at most 100000, got 9223372036854775807"),
    ]

    @Test(arguments: yamlCases)
    func validateRefusesAHugeNumber(_ c: YAMLCase) async throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("examples/chess.yaml"), encoding: .utf8)
        #expect(original.contains(c.replace), "the case's text is not in examples/chess.yaml")
        let file = dir.appendingPathComponent("fleet.yaml")
        try original.replacingOccurrences(of: c.replace, with: c.with).write(to: file, atomically: true, encoding: .utf8)
        let r = try await CLIRunner.run(["validate", "-c", file.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains(file.path + c.expected), "stderr: \(r.stderr)")
    }

    struct TraceCase: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let expected: String
        var testDescription: String { name }
    }

    static let traceCases: [TraceCase] = [
        TraceCase(name: "minute 10^12", text: "# session_mean_minutes: 10\nminute,arrivals\n1000000000000,1\n",
                  expected: ":3:1: minute: must be at most 525599"),
        TraceCase(name: "session mean 1e300", text: "# session_mean_minutes: 1e300\nminute,arrivals\n0,1\n",
                  expected: ":1:25: session_mean_minutes: must be at most 10080 minutes"),
        TraceCase(name: "2^63-1 arrivals", text: "# session_mean_minutes: 10\nminute,arrivals\n0,9223372036854775807\n",
                  expected: ":3:3: arrivals: must be at most 100000 players a minute"),
    ]

    @Test(arguments: traceCases)
    func simulateRefusesAHugeTrace(_ c: TraceCase) async throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("hostile.csv")
        try c.text.write(to: file, atomically: true, encoding: .utf8)
        let r = try await CLIRunner.run(["simulate", "-c", "examples/chess-fleet.yaml", "--trace", file.path, "--warm-up", "0s"])
        #expect(r.status == 1)
        #expect(r.stderr.contains(file.path + c.expected), "stderr: \(r.stderr)")
    }

    /// Simulation options are durations from the command line: bounded the same way.
    @Test(arguments: ["--warm-up", "--startup-delay", "--startup-jitter", "--pass-duration", "--session-mean"])
    func simulateRefusesAHugeDurationOption(_ option: String) async throws {
        let r = try await CLIRunner.run(["simulate", "-c", "examples/chess-fleet.yaml", "--trace", "examples/traces/tournament.csv",
                                   option, "9223372036854775807h"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("\(option): "), "stderr: \(r.stderr)")
        #expect(r.stderr.contains("at most"), "stderr: \(r.stderr)")
    }
}
