import Foundation
import Glibc
import Testing

/// Issue 8's recipe from outside: a health endpoint that sends a good head and then drips its body
/// a byte a second. Before the probe was bounded end to end, serve's first pass waited in the body
/// read for minutes: `lastPassAt` never moved and `/readyz` never turned 200.
@Suite("gamefleet serve against a health endpoint that drips", .serialized, .timeLimit(.minutes(2)))
struct HostileHealthEndToEndTests {
    @Test func passesKeepTheirCadenceWhileEveryProbeDrips() async throws {
        let drip = try DripServer()
        defer { drip.stop() }
        try await ServeProcess.run({ $0.healthPort = drip.port }) { serve in
            try await serve.waitFor("GET /readyz answering 200", within: .seconds(20)) {
                try await serve.get("/readyz").status == 200 ? true : nil
            }
            let held = try await serve.snapshots(for: .seconds(5))
            let passTimes = Set(held.compactMap(\.lastPassAt))
            print("serve against a dripping health endpoint: lastPassAt took \(passTimes.count) distinct values in 5 s; \(drip.connections) probes reached it")
            // ISO 8601 to the second: a pass every ~0.6 s shows at least 3 distinct seconds in 5 s.
            #expect(passTimes.count >= 3, "lastPassAt over 5 s: \(held.compactMap(\.lastPassAt))\(serve.report())")
            #expect(drip.connections >= 3, "probes that reached the drip server: \(drip.connections)")
            #expect(try await serve.get("/readyz").status == 200)

            let stop = try await serve.terminate(within: .seconds(10))
            #expect(serve.exitStatus == 0, "after SIGTERM gamefleet: \(serve.exitDescription)\(serve.report())")
            #expect(stop.survivors.isEmpty, "gameservers alive after gamefleet exited: \(stop.survivors)")
        }
    }
}
