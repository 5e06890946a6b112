import Foundation
import TestSupport
import Testing

/// `gamefleet plan --observed-from URL` against a real `gamefleet serve` (local provider): the plan
/// made from the serve's `GET /v1/observed` equals `plan --observed FILE` on the same state, for
/// the running file and for a proposed one; `--output markdown` shows the proposed change key by
/// key against the running config (`GET /v1/config`).
@Suite("gamefleet plan --observed-from a live serve", .serialized, .timeLimit(.minutes(5)))
struct PlanFromServeTests {
    struct Run: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the built gamefleet off the cooperative pool and waits for it to exit.
    static func gamefleet(_ arguments: [String], in directory: URL) async throws -> Run {
        let binary = try BuiltProduct.path("gamefleet")
        let finished = try await offThePool { try Spawn.run(binary, arguments, directory: directory.path) }
        return Run(status: finished.status, stdout: String(decoding: finished.stdout, as: UTF8.self),
                   stderr: String(decoding: finished.stderr, as: UTF8.self))
    }

    @Test("plan --observed-from the live serve equals plan --observed on the same state, for the running file and a proposed one; markdown shows the change key by key")
    func observedFromEqualsObserved() async throws {
        // A pass every 3 s, so a fetch of /v1/observed, a CLI run and another fetch usually fall in
        // one pass; the test retries until they do (the two fetches equal) rather than assume it.
        try await ServeProcess.run({ $0.interval = "3s"; $0.timeout = "500ms" }) { serve in
            try await serve.waitFor("a pass with a gameserver answering", within: .seconds(60)) {
                let snapshot = try await serve.snapshot()
                return snapshot.servers.contains(where: \.answering) ? true : nil
            }
            let running = try String(contentsOfFile: serve.configPath, encoding: .utf8)
            let proposed = running.replacingOccurrences(of: "  upscaleMargin: 2\n", with: "  upscaleMargin: 6\n")
                .replacingOccurrences(of: "  downscaleMargin: 7\n", with: "  downscaleMargin: 11\n")
            #expect(proposed != running)
            let proposedPath = serve.directory.appendingPathComponent("proposed.yaml")
            try Data(proposed.utf8).write(to: proposedPath)
            let url = "http://127.0.0.1:\(serve.ports.admin)"
            let stateFile = serve.directory.appendingPathComponent("observed.json")

            for (file, name) in [(serve.configPath, "running"), (proposedPath.path, "proposed")] {
                let (fromServe, fromFile) = try await serve.waitFor("one pass's state read by both plans (\(name))", within: .seconds(90)) { () -> (Run, Run)? in
                    let before = try await serve.get("/v1/observed")
                    guard before.status == 200 else { return nil }
                    let observedAt = try #require((try JSONSerialization.jsonObject(with: Data(before.body.utf8)) as? [String: Any])?["observedAt"] as? String)
                    let live = try await Self.gamefleet(["plan", "-c", file, "--observed-from", url, "--now", observedAt, "--output", "json"], in: serve.directory)
                    let after = try await serve.get("/v1/observed")
                    guard after.body == before.body else { return nil }  // a pass in between: again
                    try Data(before.body.utf8).write(to: stateFile)
                    let offline = try await Self.gamefleet(["plan", "-c", file, "--observed", stateFile.path, "--now", observedAt, "--output", "json"], in: serve.directory)
                    return (live, offline)
                }
                #expect(fromServe.status == 0, "\(name): \(fromServe.stderr)")
                #expect(fromFile.status == 0, "\(name): \(fromFile.stderr)")
                #expect(!fromServe.stdout.isEmpty && fromServe.stdout == fromFile.stdout,
                        "\(name): --observed-from printed\n\(fromServe.stdout)\n--observed printed\n\(fromFile.stdout)")
                if name == "proposed" {
                    #expect(fromServe.stdout.contains(#""kind" : "launch""#) || fromServe.stdout.contains(#""kind":"launch""#),
                            "a larger upscale margin launches: \(fromServe.stdout)")
                }
            }

            let markdown = try await Self.gamefleet(["plan", "-c", proposedPath.path, "--observed-from", url, "--output", "markdown"], in: serve.directory)
            #expect(markdown.status == 0, "\(markdown.stderr)")
            let config = try await serve.snapshot().config
            #expect(markdown.stdout.contains("against the running `\(serve.configPath)` (config \(config.hash))"), "\(markdown.stdout)")
            #expect(markdown.stdout.contains("| `scaling.upscaleMargin` | `2` | `6` |\n| `scaling.downscaleMargin` | `7` | `11` |\n"), "\(markdown.stdout)")
            #expect(markdown.stdout.contains("**Plan:** ") && markdown.stdout.contains("to launch"), "\(markdown.stdout)")

            // Errors name the flag and what to do.
            let both = try await Self.gamefleet(["plan", "-c", proposedPath.path, "--observed-from", url, "--observed", stateFile.path], in: serve.directory)
            #expect(both.status != 0 && both.stderr.contains("--observed-from"), "\(both.stderr)")
            let wrong = try await Self.gamefleet(["plan", "-c", proposedPath.path, "--observed-from", "http://127.0.0.1:\(serve.ports.listen)"], in: serve.directory)
            #expect(wrong.status == 1 && wrong.stderr.contains("--observed-from http://127.0.0.1:\(serve.ports.listen)/v1/observed: HTTP 404"), "\(wrong.stderr)")
        }
    }
}
