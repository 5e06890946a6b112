import Foundation
import Glibc
import Testing

/// Issue 8's recipe from outside: a health endpoint that sends a good head and then drips its body
/// a byte a second. Before the probe was bounded end to end, serve's first pass waited in the body
/// read for minutes: `lastPassAt` never moved and `/readyz` never turned 200.
@Suite("gamefleet serve against a health endpoint that drips", .serialized, .timeLimit(.minutes(5)))
struct HostileHealthEndToEndTests {
    @Test func passesKeepTheirCadenceWhileEveryProbeDrips() async throws {
        let drip = try DripServer()
        defer { drip.stop() }
        try await ServeProcess.run({ $0.healthPort = drip.port }) { serve in
            try await serve.waitFor("GET /readyz answering 200", within: .seconds(60)) {
                try await serve.get("/readyz").status == 200 ? true : nil
            }
            // Each probe would hold its pass for 200 s if it waited for the body; a bounded probe lets a
            // pass end every interval. Five distinct pass times (ISO 8601 to the second) prove the loop
            // keeps passing; the deadline only bounds how long a stalled loop takes to fail the test.
            var passTimes = Set<String>()
            try await serve.waitFor("five passes while every probe drips (seen: \(passTimes.sorted()))", within: .seconds(90)) {
                if let at = try await serve.snapshot().lastPassAt { passTimes.insert(at) }
                return passTimes.count >= 5 ? true : nil
            }
            print("serve against a dripping health endpoint: passes at \(passTimes.sorted()); \(drip.connections) probes reached it")
            #expect(drip.connections >= 3, "probes that reached the drip server: \(drip.connections)")
            try await serve.waitFor("GET /readyz still answering 200", within: .seconds(60)) {
                try await serve.get("/readyz").status == 200 ? true : nil
            }

            let stop = try await serve.terminate(within: .seconds(60))
            #expect(serve.exitStatus == 0, "after SIGTERM gamefleet: \(serve.exitDescription)\(serve.report())")
            #expect(stop.survivors.isEmpty, "gameservers alive after gamefleet exited: \(stop.survivors)")
        }
    }
}
