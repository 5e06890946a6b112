import Foundation
import Testing

/// `gamefleet push` and `plan --observed-from`'s flags refused before any network call, each naming
/// the flag at fault. The writes themselves are tested on moto (CIWorkflowMotoTests).
@Suite("gamefleet push and plan --observed-from: flags")
struct PushCLITests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: [String]
        var environment: [String: String] = [:]
        var stderr: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "push to a file is refused, naming --to", arguments: ["push", "-c", "examples/chess.yaml", "--to", "fleet.yaml"],
             stderr: "--to fleet.yaml: push writes to ssm:NAME or s3://BUCKET/KEY"),
        Case(name: "a malformed destination names --to and the form", arguments: ["push", "-c", "examples/chess.yaml", "--to", "s3:/fleets/chess"],
             stderr: "--to s3:/fleets/chess: an S3 object is written s3://BUCKET/KEY"),
        Case(name: "an invalid file is refused and nothing is written", arguments: ["push", "-c", "examples/invalid/many-errors.yaml", "--to", "ssm:/gamefleet/x"],
             stderr: "nothing was written to ssm:/gamefleet/x"),
        Case(name: "without a region, push names AWS_REGION", arguments: ["push", "-c", "examples/chess.yaml", "--to", "ssm:/gamefleet/x"],
             stderr: "AWS_REGION"),
        Case(name: "--token-file without --observed-from is refused", arguments: ["plan", "-c", "examples/chess.yaml", "--token-file", "t"],
             stderr: "--token-file"),
        Case(name: "--observed-from takes an http URL", arguments: ["plan", "-c", "examples/chess.yaml", "--observed-from", "gamefleet-admin:8001"],
             stderr: "--observed-from gamefleet-admin:8001: expected the admin face's URL"),
        Case(name: "an unreadable --token-file is named", arguments: ["plan", "-c", "examples/chess.yaml", "--observed-from", "http://127.0.0.1:9", "--token-file", "/nonexistent/token"],
             stderr: "--token-file /nonexistent/token: cannot read the file (no such file)"),
    ]

    @Test(arguments: cases)
    func refused(_ c: Case) async throws {
        var environment = ProcessInfo.processInfo.environment
        for name in ["AWS_REGION", "AWS_DEFAULT_REGION", "GAMEFLEET_ADMIN_TOKEN"] { environment[name] = nil }
        environment["HOME"] = "/nonexistent"
        let r = try await CLIRunner.run(c.arguments, environment: environment.merging(c.environment) { _, new in new })
        #expect(r.status != 0, "\(c.arguments)")
        #expect(r.stderr.contains(c.stderr), "\(r.stderr)")
    }
}
