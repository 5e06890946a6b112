import Foundation
import TestSupport
import Glibc
import Testing

/// The status page in a real browser: headless Chromium (Debian's `chromium`, which `.ci/run`
/// installs) loads `GET /` from a running serve's admin face, runs the page's script against
/// `/v1/fleet` and `/v1/history`, and the DOM it leaves is compared with `/v1/fleet`.
@Suite("Status page in Chromium", .serialized, .timeLimit(.minutes(5)))
struct StatusPageTests {
    @Test func thePageShowsTheFleetThatV1FleetDescribes() async throws {
        let browser = try #require(Chromium.path, "chromium is not installed: apt-get install chromium (.ci/run does)")
        try await ServeProcess.run({ $0.minServers = 3 }) { serve in
            let fleet = try await serve.waitFor("3 gameservers answering and a steady plan", within: .seconds(60)) {
                let snapshot = try await serve.snapshot()
                return snapshot.servers.count == 3 && snapshot.servers.allSatisfy(\.answering) && snapshot.lastPlan?.actions.isEmpty == true ? snapshot : nil
            }
            let expectedFree = try #require(fleet.lastPlan?.summary.freeSlots)
            // The fleet is steady (no actions), so the page and /v1/fleet describe the same state; one
            // retry covers a pass that changed the probes' figures in between.
            var dom = ""
            for _ in 0..<3 {
                dom = try await Chromium.dumpDOM(browser, url: "http://127.0.0.1:\(serve.ports.admin)/")
                if Chromium.count(of: #"class="tile""#, in: dom) == 3 && Chromium.text(ofID: "free-slots", in: dom) == String(expectedFree) { break }
            }
            #expect(Chromium.text(ofID: "fleet-name", in: dom) == "e2e", "\(dom.prefix(2000))")
            #expect(Chromium.count(of: #"class="tile""#, in: dom) == fleet.servers.count, "tiles against /v1/fleet's \(fleet.servers.count) servers")
            #expect(Chromium.count(of: #"data-state="active""#, in: dom) == 3)
            #expect(Chromium.text(ofID: "free-slots", in: dom) == String(expectedFree), "free slots shown against \(expectedFree)")
            for server in fleet.servers {
                #expect(dom.contains("data-server=\"\(server.id)\""), "no tile for \(server.id)")
            }
            #expect(dom.contains("<polyline"), "the free-slot chart drew nothing")
        }
    }

    @Test func failedLaunchesAreShownWithTheirReason() async throws {
        let browser = try #require(Chromium.path, "chromium is not installed: apt-get install chromium (.ci/run does)")
        try await ServeProcess.run({ file in
            file.minServers = 1
            file.command = ["/bin/sh", "-c", "exit 3", "gameserver", "{port}"]
        }) { serve in
            let fleet = try await serve.waitFor("a failed launch in /v1/fleet", within: .seconds(60)) {
                let snapshot = try await serve.snapshot()
                return (snapshot.launchFailures ?? []).isEmpty ? nil : snapshot
            }
            let failure = try #require(fleet.launchFailures?.first)
            let dom = try await Chromium.dumpDOM(browser, url: "http://127.0.0.1:\(serve.ports.admin)/")
            let gone = try #require(Chromium.section(ofID: "gone", in: dom), "\(dom.prefix(2000))")
            #expect(gone.contains("launch failed"), "\(gone)")
            #expect(gone.contains(Chromium.escaped(String((failure.reason ?? failure.error).prefix(30)))), "\(gone) against \(failure)")
        }
    }
}

/// Headless Chromium, run as a person's browser would be (no sandbox: tests run as root here).
enum Chromium {
    static var path: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The DOM after the page's scripts ran (virtual time lets its fetches finish), bounded by a deadline.
    static func dumpDOM(_ browser: String, url: String) async throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let outputURL = profile.appendingPathExtension("html")
        defer { try? FileManager.default.removeItem(at: outputURL) }
        FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let process = try Child.start(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                                                "--user-data-dir=\(profile.path)", "--virtual-time-budget=8000", "--dump-dom", url],
                                      stdout: .file(outputURL.path))
        // Waited for asleep: the browser takes seconds, and a blocked thread of the cooperative
        // pool would stall every other test meanwhile. Generous, for a machine running the suite.
        if !(await process.waitForExit(within: .seconds(120))) {
            process.send(SIGKILL)
            await process.waitForExit(within: .seconds(30))
            throw ChromiumFailure(message: "chromium did not finish within 120 s")
        }
        let data = (try? Data(contentsOf: outputURL)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func count(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The markup inside the list element with `id` (up to its closing `</ul>`).
    static func section(ofID id: String, in dom: String) -> String? {
        guard let open = dom.range(of: "id=\"\(id)\"") else { return nil }
        let rest = dom[open.upperBound...]
        guard let end = rest.range(of: "</ul>") else { return nil }
        return String(rest[..<end.lowerBound])
    }

    /// `text` as the DOM dump writes it inside an element.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// The text inside the element with `id`, when it holds text only.
    static func text(ofID id: String, in dom: String) -> String? {
        guard let open = dom.range(of: "id=\"\(id)\"") else { return nil }
        guard let start = dom[open.upperBound...].firstIndex(of: ">") else { return nil }
        let rest = dom[dom.index(after: start)...]
        guard let end = rest.firstIndex(of: "<") else { return nil }
        return String(rest[..<end])
    }
}

struct ChromiumFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
