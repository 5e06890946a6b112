import FleetCore
import Foundation
import Testing
@testable import FleetSimulation

@Suite("The simulated fleet")
struct FleetBehaviourTests {
    @Test("a flat trace settles with free slots between the margins and no flapping")
    func flatTraceSettles() {
        // About 300 players in a game at once: some 30 servers of 10.
        let spec = chessSpec(upscale: 10, downscale: 40)
        let trace = flatTrace(perMinute: 30, minutes: 240)
        let run = Simulation.run(spec: spec, trace: trace, settings: testSettings(buckets: 240))
        let outcome = run.outcome
        let seconds = Double(trace.minutes * 60)
        // Free slots spend most of the time between the margins...
        #expect(outcome.timeUnderUpscaleMarginSeconds + outcome.timeOverDownscaleMarginSeconds < 0.1 * seconds,
                "under \(outcome.timeUnderUpscaleMarginSeconds)s, over \(outcome.timeOverDownscaleMarginSeconds)s")
        #expect(outcome.backupPercent < 0.5)
        // ...and the fleet holds its size: the slots paid for stay within a few servers of each other
        // once settled, with launches and stops rare and never back to back.
        let settled = run.timeline.paidSlots[60...]
        #expect(settled.max()! - settled.min()! <= 5 * spec.gameserver.capacity)
        let launches = run.timeline.launches[60...].reduce(0, +)
        let stops = run.timeline.stops[60...].reduce(0, +)
        #expect(launches <= 6 && stops <= 6, "launches \(launches), stops \(stops) in 3 settled hours")
        #expect(outcome.lowerBoundRatio < 1.3)
        #expect(run.allocationMismatches == 0)
    }

    @Test("a tournament with a slow startup overflows to the backup, and a larger upscale margin overflows less")
    func tournamentBackup() {
        let trace = smallTournament(baseline: 10, entrants: 600)
        let slow = testSettings(startupDelay: .seconds(240), jitter: .seconds(30))
        let small = Simulation.run(spec: chessSpec(upscale: 10, downscale: 40), trace: trace, settings: slow).outcome
        let large = Simulation.run(spec: chessSpec(upscale: 150, downscale: 200), trace: trace, settings: slow).outcome
        #expect(small.playersSentToBackup > 300, "small margin sent \(small.playersSentToBackup) to backup")
        #expect(large.playersSentToBackup < small.playersSentToBackup - 100,
                "large margin sent \(large.playersSentToBackup), small \(small.playersSentToBackup)")
        // The price of the larger margin: more server-hours.
        #expect(large.serverHours > small.serverHours)
    }

    @Test("without a backup, players who find no room are refused and still counted")
    func noBackup() {
        let trace = smallTournament(baseline: 10, entrants: 400)
        let outcome = Simulation.run(spec: chessSpec(backup: nil), trace: trace, settings: testSettings()).outcome
        #expect(outcome.playersSentToBackup > 0)
        #expect(outcome.isConserved)
    }

    @Test("the old rules' blocking launches lose players to the backup where gamefleet does not")
    func oldRulesYardstick() {
        let trace = flatTrace(perMinute: 40, minutes: 120)
        let settings = testSettings()
        let spec = chessSpec(upscale: 40, downscale: 80)
        let gamefleet = Simulation.run(spec: spec, trace: trace, settings: settings, rules: .gamefleet).outcome
        let old = Simulation.run(spec: spec, trace: trace, settings: settings, rules: .oldApp).outcome
        #expect(old.backupPercent > gamefleet.backupPercent)
        #expect(gamefleet.lowerBoundRatio >= 1, "gamefleet seats everyone, so it cannot beat the lower bound")
    }
}

/// One scenario every invariant must hold in.
struct InvariantCase: CustomTestStringConvertible, Sendable {
    let name: String
    var spec: FleetSpec = chessSpec()
    var trace: Trace = smallTournament()
    var settings: SimulationSettings = testSettings()
    var testDescription: String { name }
}

@Suite("Invariants")
struct InvariantTests {
    static let cases: [InvariantCase] = [
        InvariantCase(name: "a tournament rush"),
        InvariantCase(name: "a flat load", trace: flatTrace(perMinute: 20, minutes: 90)),
        InvariantCase(name: "servers failing often", trace: flatTrace(perMinute: 20, minutes: 90),
                      settings: testSettings(failuresPerHour: 2)),
        InvariantCase(name: "a slow, jittery startup", settings: testSettings(startupDelay: .seconds(200), jitter: .seconds(150))),
        InvariantCase(name: "spread allocation", spec: chessSpec(strategy: .spread)),
        InvariantCase(name: "a fleet capped by maxServers", spec: chessSpec(maxServers: 8)),
        InvariantCase(name: "one launch a pass", spec: chessSpec(maxLaunches: 1)),
        InvariantCase(name: "a cold start", settings: testSettings(warmUp: .zero)),
        InvariantCase(name: "no backup configured", spec: chessSpec(backup: nil)),
        InvariantCase(name: "startups longer than startupGrace", spec: chessSpec(startupGrace: .seconds(60)),
                      settings: testSettings(startupDelay: .seconds(90), jitter: .seconds(20))),
        InvariantCase(name: "a trace that ends quiet, so everyone leaves",
                      trace: Trace(name: "quiet-end", arrivals: Array(repeating: 15, count: 30) + Array(repeating: 0, count: 90),
                                   session: SessionLength(meanSeconds: 600, spreadSeconds: 180))),
    ]

    @Test("every player is served by the fleet or the backup, and leaves", arguments: cases)
    func conservation(_ c: InvariantCase) {
        for rules in ScalingRules.allCases {
            let outcome = Simulation.run(spec: c.spec, trace: c.trace, settings: c.settings, rules: rules).outcome
            #expect(outcome.arrivals == c.trace.totalArrivals, "\(rules)")
            #expect(outcome.playersServedByFleet + outcome.playersSentToBackup == outcome.arrivals, "\(rules)")
            #expect(outcome.isConserved, "\(rules): \(outcome)")
        }
    }

    @Test("no player is ever on a server when it is stopped", arguments: cases)
    func nobodyOnStoppedServers(_ c: InvariantCase) {
        for rules in ScalingRules.allCases {
            let outcome = Simulation.run(spec: c.spec, trace: c.trace, settings: c.settings, rules: rules).outcome
            #expect(outcome.playersOnStoppedServers == 0, "\(rules)")
        }
    }

    @Test("the fast allocation path picks exactly what the direct allocator call picks", arguments: cases)
    func allocationsMatchTheDirectCall(_ c: InvariantCase) {
        let run = Simulation.run(spec: c.spec, trace: c.trace, settings: c.settings)
        #expect(run.allocationMismatches == 0)
    }

    @Test("a trace that ends quiet ends with nobody playing")
    func everyoneLeaves() {
        let trace = Trace(name: "quiet-end", arrivals: Array(repeating: 15, count: 30) + Array(repeating: 0, count: 90),
                          session: SessionLength(meanSeconds: 600, spreadSeconds: 180))
        let outcome = Simulation.run(spec: chessSpec(), trace: trace, settings: testSettings()).outcome
        #expect(outcome.playersPlayingAtEnd == 0)
        #expect(outcome.playersFinished + outcome.playersCutOffByFailures == outcome.playersPlayingAtStart + outcome.arrivals)
    }
}
