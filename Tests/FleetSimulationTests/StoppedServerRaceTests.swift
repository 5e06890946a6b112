import FleetCore
import Testing
@testable import FleetSimulation

/// A race the simulation found in serve, kept as a regression test now that it is closed.
///
/// Serve used to publish each pass's observation *as probed*, before the pass's own actions. A server
/// the pass parked therefore still looked active to the allocator until the next pass published; that
/// next pass planned to stop it (standby, empty, ready to close), and while it was in flight the
/// allocator, working from the older view, could send a player there just before the stop landed.
/// Serve (and this simulation) now publish the observation with the pass's own actions applied
/// (`ObservedState.reflecting`). Small margins make "every other server is full" common, which is
/// what exposed the race.
@Suite("Players on stopped servers")
struct StoppedServerRaceTests {
    static let trace = flatTrace(perMinute: 60, minutes: 180)
    static let spec = chessSpec(upscale: 4, downscale: 15, minServers: 2, maxServers: 400, startupGrace: .seconds(120))

    @Test("with tight margins, no player is on a server when it is stopped")
    func noPlayerOnAStoppedServer() {
        for seed in 1...6 {
            let run = Simulation.run(spec: Self.spec, trace: Self.trace, settings: testSettings(seed: UInt64(seed)))
            #expect(run.outcome.playersOnStoppedServers == 0, "seed \(seed)")
            #expect(run.outcome.stops > 0, "seed \(seed): the scenario must stop servers to test anything")
        }
    }
}
