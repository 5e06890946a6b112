import Foundation
import Testing

@Suite("gamefleet command line")
struct CLITests {
    static let night = "2026-11-26T20:00:00Z"

    @Test func theDefaultFleetIsValid() async throws {
        let r = try await CLIRunner.run(["validate"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "fleet.yaml: valid (fleet local-demo, provider local, 10 slots per server, margins 4..18, 1-5 servers)\n")
    }

    @Test func everyShippedExampleIsValid() async throws {
        let examples = try FileManager.default.contentsOfDirectory(atPath: CLIRunner.packageRoot.appendingPathComponent("examples").path)
            .filter { $0.hasSuffix(".yaml") }
        #expect(!examples.isEmpty)
        for name in examples {
            let r = try await CLIRunner.run(["validate", "-c", "examples/\(name)"])
            #expect(r.status == 0, "examples/\(name): \(r.stderr)")
        }
    }

    @Test("The deployment's fleet.yaml (examples/deploy) is valid with what its task definition sets, and refused without it")
    func theDeploymentFleetIsValid() async throws {
        // The task definition's entry point sets GAMEFLEET_ADVERTISE; ECS sets the token from Secrets Manager.
        var environment = ProcessInfo.processInfo.environment
        environment["GAMEFLEET_ADVERTISE"] = "10.0.1.5:8001"
        environment["GAMEFLEET_ADMIN_TOKEN"] = "s3cret-token-value"
        let r = try await CLIRunner.run(["validate", "-c", "examples/deploy/fleet.yaml"], environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        environment["GAMEFLEET_ADVERTISE"] = nil
        let unset = try await CLIRunner.run(["validate", "-c", "examples/deploy/fleet.yaml"], environment: environment)
        #expect(unset.status == 1)
        #expect(unset.stderr.contains("GAMEFLEET_ADVERTISE"), "\(unset.stderr)")
        // The two JSON files are what `aws ecs register-task-definition` / `create-service --cli-input-json` read.
        for name in ["task-definition.json", "service.json"] {
            let data = try Data(contentsOf: CLIRunner.packageRoot.appendingPathComponent("examples/deploy/\(name)"))
            #expect((try JSONSerialization.jsonObject(with: data)) is [String: Any], "examples/deploy/\(name)")
        }
    }

    @Test func aBrokenFileListsEveryErrorAndExitsOne() async throws {
        let r = try await CLIRunner.run(["validate", "-c", "examples/invalid/many-errors.yaml"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 9)
        #expect(lines.first == "examples/invalid/many-errors.yaml:3:11: provider: provider is ecs but there is no ecs: section (region, taskDefinition and gamePort are required)")
        #expect(lines.contains("examples/invalid/many-errors.yaml:10:3: scaling.upscaleMarign: unknown key 'upscaleMarign'; did you mean 'upscaleMargin'?"))
        #expect(lines.last == "examples/invalid/many-errors.yaml: refused (8 errors)")
    }

    @Test func aMissingFileIsNamed() async throws {
        let r = try await CLIRunner.run(["validate", "-c", "nowhere.yaml"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("nowhere.yaml: cannot read the file: no such file\n"))
    }

    @Test func planPrintsTerraformStyleText() async throws {
        let r = try await CLIRunner.run(["plan", "-c", "examples/chess.yaml", "--observed", "examples/observed/rush.json", "--now", Self.night])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            Fleet chess: 4 server(s): 2 active (0 starting), 1 standby, 1 unhealthy, 0 outdated.
            Free slots 1; upscale margin 4, downscale margin 18.

            gamefleet will perform the following actions:

              - stop      arn:aws:ecs:ap-south-1:123456789012:task/default/3 (13.232.10.3:8888)  # unhealthy: failed 2 health probes in a row (failureThreshold 2)
              ~ activate  arn:aws:ecs:ap-south-1:123456789012:task/default/4 (13.232.10.4:8888)  # free slots 1 < upscale margin 4

            Plan: 0 to launch, 1 to activate, 0 to standby, 1 to stop.

            """)
    }

    /// The issue's recipe: a server launched two hours ago with one failed probe and no success
    /// yet — what a freshly restarted gamefleet knows — must not be stopped as "never answered",
    /// whether the file names when it was first seen or predates the field.
    @Test(arguments: [nil, "2026-11-26T19:59:58Z"])
    func planKeepsAServerFoundRunningAfterARestart(firstSeenAt: String?) async throws {
        let seen = firstSeenAt.map { #""firstSeenAt": "\#($0)","# } ?? ""
        let observed = """
            {"observedAt": "2026-11-26T20:00:00Z", "servers": [
              {"id": "arn:aws:ecs:ap-south-1:123456789012:task/default/1", "address": "13.232.10.1:8888",
               "taskDefinition": "LaunchGameserver:3", "lifecycle": "running", "launchedAt": "2026-11-26T18:00:00Z", \(seen)
               "health": {"consecutiveFailures": 1}},
              {"id": "arn:aws:ecs:ap-south-1:123456789012:task/default/2", "address": "13.232.10.2:8888",
               "taskDefinition": "LaunchGameserver:3", "lifecycle": "running", "launchedAt": "2026-11-26T18:00:00Z",
               "health": {"availableCapacity": 6, "consecutiveFailures": 0, "lastSuccessAt": "2026-11-26T19:59:55Z", "readyToClose": false}}]}
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("restart-\(UUID().uuidString).json")
        try Data(observed.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try await CLIRunner.run(["plan", "-c", "examples/chess.yaml", "--observed", file.path, "--now", Self.night])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("never answered"), "\(r.stdout)")
        #expect(!r.stdout.contains("- stop"), "\(r.stdout)")
        #expect(r.stdout.contains("1 unknown"), "\(r.stdout)")
    }

    @Test func planAfterARestartKeepsServersItCannotJudgeYet() async throws {
        let r = try await CLIRunner.run(["plan", "-c", "examples/chess.yaml", "--observed", "examples/observed/restart.json", "--now", Self.night])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            Fleet chess: 3 server(s): 3 active (0 starting, 2 unknown), 0 standby, 0 unhealthy, 0 outdated.
            Free slots 5; upscale margin 4, downscale margin 18.

            No changes. The fleet matches fleet.yaml.

            """)
    }

    @Test func planSaysNoChangesForASteadyFleet() async throws {
        let r = try await CLIRunner.run(["plan", "-c", "examples/chess.yaml", "--observed", "examples/observed/steady.json", "--now", Self.night, "--detailed-exitcode"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasSuffix("No changes. The fleet matches fleet.yaml.\n"))
    }

    @Test func detailedExitcodeIsTwoWhenThereAreChanges() async throws {
        let r = try await CLIRunner.run(["plan", "-c", "examples/chess.yaml", "--observed", "examples/observed/quiet-night.json", "--now", Self.night, "--detailed-exitcode"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stdout.hasSuffix("Plan: 0 to launch, 0 to activate, 2 to standby, 1 to stop.\n"))
    }

    @Test func planAsJSONIsThePlanValue() async throws {
        let r = try await CLIRunner.run(["plan", "-c", "examples/chess.yaml", "--observed", "examples/observed/rolling-update.json", "--now", Self.night, "--output", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let actions = try #require(json["actions"] as? [[String: Any]])
        #expect(actions.map { $0["kind"] as? String } == ["stop", "standby", "standby"])
        #expect(actions.allSatisfy { ($0["reason"] as? String)?.isEmpty == false })
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["outdated"] as? Int == 3)
    }

    /// The demand signal and measured startup time of an observation: one line in the text, the
    /// same fields in the JSON summary, and the same decisions as without them (steady.json).
    @Test func planShowsTheDemandSignal() async throws {
        let r = try await CLIRunner.run(["plan", "-c", "examples/chess.yaml", "--observed", "examples/observed/demand.json", "--now", Self.night, "--detailed-exitcode"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            Fleet chess: 3 server(s): 3 active (0 starting), 0 standby, 0 unhealthy, 0 outdated.
            Free slots 9; upscale margin 4, downscale margin 18.
            Demand since last pass: 120 requests over 10s (12.0/s), 3 to the backup, 0 unavailable, 4 reserved unconfirmed; startup p90 42s over 17 launches.

            No changes. The fleet matches fleet.yaml.

            """)
        let steady = try await CLIRunner.run(["plan", "-c", "examples/chess.yaml", "--observed", "examples/observed/steady.json", "--now", Self.night])
        #expect(!steady.stdout.contains("Demand"))
        #expect(r.stdout.replacingOccurrences(of: "Demand since last pass: 120 requests over 10s (12.0/s), 3 to the backup, 0 unavailable, 4 reserved unconfirmed; startup p90 42s over 17 launches.\n", with: "") == steady.stdout)

        let j = try await CLIRunner.run(["plan", "-c", "examples/chess.yaml", "--observed", "examples/observed/demand.json", "--now", Self.night, "--output", "json"])
        #expect(j.status == 0, "\(j.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        let summary = try #require(json["summary"] as? [String: Any])
        let demand = try #require(summary["demand"] as? [String: Any])
        #expect(demand["requests"] as? Int == 120)
        #expect(demand["allocations"] as? Int == 117)
        #expect(demand["backup"] as? Int == 3)
        #expect(demand["unavailable"] as? Int == 0)
        #expect(demand["reservedUnconfirmed"] as? Int == 4)
        #expect(demand["windowSeconds"] as? Double == 10)
        let startup = try #require(summary["startup"] as? [String: Any])
        #expect(startup["p90Seconds"] as? Double == 42)
        #expect(startup["samples"] as? Int == 17)
    }

    @Test func aDemandSignalThatDoesNotAddUpIsNamed() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-demand-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"servers": [], "demand": {"windowSeconds": 10, "requests": 5, "allocations": 1, "backup": 0, "unavailable": 0, "reservedUnconfirmed": 0}}"#.utf8).write(to: file)
        let r = try await CLIRunner.run(["plan", "-c", "examples/chess.yaml", "--observed", file.path])
        #expect(r.status == 1)
        #expect(r.stderr == "\(file.path): not a valid observed state: demand.requests: must equal allocations + backup + unavailable (1), got 5\n")
    }

    @Test func planWithoutAnObservedFileSaysWhy() async throws {
        let r = try await CLIRunner.run(["plan"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("pass --observed FILE") || r.stderr.contains("Pass --observed FILE"))
    }

    @Test func aMalformedObservedFileNamesTheFieldAtFault() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.json")
        try #"{"servers": [{"id": "a", "taskDefinition": "t", "lifecycle": "sleeping", "launchedAt": "2026-11-26T20:00:00Z"}]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let r = try await CLIRunner.run(["plan", "-c", "examples/chess.yaml", "--observed", file.path, "--detailed-exitcode"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("\(file.path): not a valid observed state: servers[0].lifecycle:"))
    }

    @Test func aLaunchNotListedYetCountsAsStartingAndIsNotRepeated() async throws {
        let r = try await CLIRunner.run(["plan", "-c", "examples/chess.yaml", "--observed", "examples/observed/launch-not-listed-yet.json", "--now", Self.night, "--detailed-exitcode"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Fleet chess: 2 server(s): 2 active (1 starting)"), "\(r.stdout)")
        #expect(r.stdout.hasSuffix("No changes. The fleet matches fleet.yaml.\n"))

        // The same observation without the expected launch plans it again.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var state = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: CLIRunner.packageRoot.appendingPathComponent("examples/observed/launch-not-listed-yet.json"))) as? [String: Any])
        state["expected"] = nil
        let file = dir.appendingPathComponent("listed-only.json")
        try JSONSerialization.data(withJSONObject: state).write(to: file)
        let without = try await CLIRunner.run(["plan", "-c", "examples/chess.yaml", "--observed", file.path, "--now", Self.night, "--detailed-exitcode"])
        #expect(without.status == 2, "\(without.stderr)")
        #expect(without.stdout.hasSuffix("Plan: 1 to launch, 0 to activate, 0 to standby, 0 to stop.\n"))
    }

    @Test func schemaIsJSON() async throws {
        let r = try await CLIRunner.run(["schema"])
        #expect(r.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["title"] as? String == "gamefleet fleet.yaml")
    }

    @Test func importEnvWritesAFleetThatValidates() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = dir.appendingPathComponent(".env")
        try "UPSCALE_MARGIN=4\nDOWNSCALE_MARGIN=18\nGAMESERVER_CAPACITY=10\nAWS_REGION=ap-south-1\nGAMESERVER_TASK_DEFINITION=LaunchGameserver\nSLEEP_TIME=10\nBACKUP_GAMESERVER=127.0.0.1:8888\nSECRET_KEY=lol\n"
            .write(to: env, atomically: true, encoding: .utf8)
        let r = try await CLIRunner.run(["import-env", env.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("note: SECRET_KEY is a Django setting"))
        let yaml = dir.appendingPathComponent("fleet.yaml")
        try r.stdout.write(to: yaml, atomically: true, encoding: .utf8)
        let v = try await CLIRunner.run(["validate", "-c", yaml.path])
        #expect(v.status == 0, "\(v.stderr)")
        #expect(v.stdout.contains("margins 4..18"))
    }

    @Test func importEnvOfAMissingFileFails() async throws {
        let r = try await CLIRunner.run(["import-env", "/nonexistent/.env"])
        #expect(r.status == 1)
        #expect(r.stderr == "/nonexistent/.env: cannot read: no such file\n")
    }

    @Test("--config in AWS: a malformed location names --config; a missing region names AWS_REGION")
    func remoteConfigErrors() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["AWS_REGION"] = nil
        environment["AWS_DEFAULT_REGION"] = nil
        let malformed = try await CLIRunner.run(["validate", "-c", "s3://only-a-bucket"], environment: environment)
        #expect(malformed.status == 1)
        #expect(malformed.stderr.hasPrefix("--config s3://only-a-bucket: expected s3://BUCKET/KEY"), "\(malformed.stderr)")
        let noRegion = try await CLIRunner.run(["validate", "-c", "ssm:/gamefleet/fleet.yaml"], environment: environment)
        #expect(noRegion.status == 1)
        #expect(noRegion.stderr.hasPrefix("ssm:/gamefleet/fleet.yaml: AWS_REGION is not set"), "\(noRegion.stderr)")
        let badPoll = try await CLIRunner.run(["serve", "-c", "fleet.yaml", "--config-poll", "soon"], environment: environment)
        #expect(badPoll.status == 1)
        #expect(badPoll.stderr.hasPrefix("--config-poll: expected a duration between 100ms and 24h"), "\(badPoll.stderr)")
    }
}
