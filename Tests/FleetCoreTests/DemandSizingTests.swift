import Foundation
import PropertyBased
import Testing
@testable import FleetCore

/// A spec under `scaling.policy: demand` (capacity 10, margins 4/18 unless told otherwise).
func demandSpec(upscale: Int = 4, downscale: Int = 18, min: Int = 1, max: Int = 50, maxLaunches: Int = 10,
                headroom: Int = 125, schedule: [ScheduleWindow] = []) -> FleetSpec {
    var s = spec(upscale: upscale, downscale: downscale, min: min, max: max, maxLaunches: maxLaunches)
    s.scaling.policy = .demand
    // These cases check the arrivals forecast's arithmetic; the default (growth, seasonal) has its own.
    s.scaling.demand.forecast = .arrivals
    s.scaling.demand.seasonal = false
    s.scaling.demand.headroomPercent = headroom
    s.scaling.schedule = schedule
    return s
}

/// A window of `seconds` with `requests` of which `backup` went to the backup.
func window(_ seconds: Double = 10, requests: Int, backup: Int = 0, unavailable: Int = 0, reserved: Int = 0) -> DemandSignal {
    DemandSignal(windowSeconds: seconds, tally: AllocationTally(server: requests - backup - unavailable, backup: backup, none: unavailable),
                 reservedUnconfirmed: reserved)
}

@Suite("Demand policy")
struct DemandSizingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let spec: FleetSpec
        let observed: ObservedState
        let expected: [String]
        let code: ReasonCode?
        var testDescription: String { name }
    }

    static let ten = (0..<10).map { server("s\($0)", free: 1) }  // 10 free slots

    static let cases: [Case] = [
        Case(name: "margin policy: 10 free slots are within the margins (margins 4/18), whatever the demand",
             spec: spec(), observed: ObservedState(servers: ten, demand: window(requests: 100), trend: DemandTrend(smoothedPerMinute: 600, heldPerMinute: 600)),
             expected: [], code: nil),
        Case(name: "demand: 60/min over 50s measured startup + 10s interval × 125% = 75 wanted, 10 free: launch 7",
             spec: demandSpec(), observed: ObservedState(servers: ten, startup: StartupStatistic(p90Seconds: 50, samples: 5), trend: DemandTrend(smoothedPerMinute: 60, heldPerMinute: 60)),
             expected: Array(repeating: "launch", count: 7), code: .demandForecast),
        Case(name: "demand: nothing measured, startupGrace 120s + 10s at 60/min × 125% = 163 wanted: launch 15 (cap 10 → 10)",
             spec: demandSpec(), observed: ObservedState(servers: ten, trend: DemandTrend(smoothedPerMinute: 60, heldPerMinute: 60)),
             expected: Array(repeating: "launch", count: 10), code: .demandForecast),
        Case(name: "demand: unmet and unconfirmed add to the target (0/min, 25 backup + 5 unavailable + 3 reserved = 33)",
             spec: demandSpec(), observed: ObservedState(servers: ten, demand: window(requests: 40, backup: 25, unavailable: 5, reserved: 3), trend: DemandTrend(smoothedPerMinute: 0, heldPerMinute: 0)),
             expected: ["launch", "launch", "launch"], code: .demandForecast),
        Case(name: "demand: a quiet fleet keeps the margins as floor (0/min, 10 free ≥ 4): no change",
             spec: demandSpec(), observed: ObservedState(servers: ten, trend: DemandTrend(smoothedPerMinute: 0, heldPerMinute: 0)),
             expected: [], code: nil),
        Case(name: "demand: the held rate keeps room the margins would park (40 free > 18, but 36 wanted + gap 14 = 50)",
             spec: demandSpec(), observed: ObservedState(servers: (0..<4).map { server("s\($0)", free: 10, ready: false) }, startup: StartupStatistic(p90Seconds: 50, samples: 5), trend: DemandTrend(smoothedPerMinute: 5, heldPerMinute: 28.8)),
             expected: [], code: nil),
        Case(name: "margin policy parks the same fleet",
             spec: spec(), observed: ObservedState(servers: (0..<4).map { server("s\($0)", free: 10, ready: false) }, startup: StartupStatistic(p90Seconds: 50, samples: 5), trend: DemandTrend(smoothedPerMinute: 5, heldPerMinute: 28.8)),
             expected: ["standby s0", "standby s1", "standby s2"], code: .aboveDownscaleMargin),
        Case(name: "demand: never past maxServers (target 750 slots, 12 servers allowed)",
             spec: demandSpec(max: 12), observed: ObservedState(servers: ten, startup: StartupStatistic(p90Seconds: 50, samples: 5), trend: DemandTrend(smoothedPerMinute: 600, heldPerMinute: 600)),
             expected: ["launch", "launch"], code: .demandForecast),
    ]

    @Test(arguments: cases)
    func plans(_ c: Case) {
        let plan = Planner.plan(spec: c.spec, observed: c.observed, now: now)
        #expect(steps(plan) == c.expected)
        if let code = c.code { #expect(plan.actions.allSatisfy { $0.reasonCode == code }, "\(plan.actions.map(\.reasonCode))") }
    }

    @Test func theLaunchReasonSaysHowTheTargetWasMade() {
        let observed = ObservedState(servers: Self.ten, demand: window(requests: 10, backup: 3, reserved: 2),
                                     startup: StartupStatistic(p90Seconds: 85, samples: 9), trend: DemandTrend(smoothedPerMinute: 10, heldPerMinute: 12.3))
        let plan = Planner.plan(spec: demandSpec(), observed: observed, now: now)
        #expect(plan.actions.first?.reason == "free slots 10 < 30; demand: 12.3 arrivals/min × 95s (startup p90 85s + interval 10s) × 125% = 25, + 3 unmet, + 2 reserved = 30 free slots wanted")
        let sizing = try! #require(plan.summary.sizing)
        #expect(sizing.upscaleAt == 30 && sizing.downscaleAt == 44 && sizing.upscaleSource == .demandForecast)
        // The summary keeps fleet.yaml's margins; the sizing line says what was applied.
        #expect(plan.summary.upscaleMargin == 4)
        let text = PlanTextRenderer.render(plan, fleet: "chess")
        #expect(text.contains("Sizing (demand): keep 30 to 44 free slots and 1 active server; demand: 12.3 arrivals/min"), "\(text)")
        #expect(text.contains("(smoothed 10.0/min)"))
    }

    @Test func aMarginPlanCarriesNoSizing() throws {
        let plan = Planner.plan(spec: spec(), observed: ObservedState(servers: Self.ten), now: now)
        #expect(plan.summary.sizing == nil)
        let json = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
        #expect(!json.contains("sizing"))
    }

    @Test func heldBackLaunchesAreNamedInTheLimits() {
        let observed = ObservedState(servers: Self.ten, startup: StartupStatistic(p90Seconds: 50, samples: 5), trend: DemandTrend(smoothedPerMinute: 600, heldPerMinute: 600))
        let plan = Planner.plan(spec: demandSpec(max: 100, maxLaunches: 3), observed: observed, now: now)
        #expect(plan.count(.launch) == 3)
        #expect(plan.limits == ["held back: 71 launch(es) by maxLaunchesPerPass 3 (needs 74, 3 in this pass; the rest follow in the next)"])
        #expect(plan.requeueSoon)
    }
}

@Suite("Demand trend")
struct DemandTrendTests {
    let settings = DemandSpec(headroomPercent: 125, smoothing: .seconds(60), halfLife: .seconds(600))

    @Test func theFirstWindowStartsTheAverageAtItsRate() {
        let t = DemandTrend.next(after: nil, window: window(10, requests: 20), settings: settings)
        #expect(t == DemandTrend(smoothedPerMinute: 120, heldPerMinute: 120))
    }

    @Test func aWindowOfNoLengthChangesNothing() {
        let before = DemandTrend(smoothedPerMinute: 5, heldPerMinute: 9)
        #expect(DemandTrend.next(after: before, window: window(0, requests: 7), settings: settings) == before)
        #expect(DemandTrend.next(after: before, window: nil, settings: settings) == before)
        #expect(DemandTrend.next(after: nil, window: nil, settings: settings) == nil)
    }

    @Test func theAverageMovesByHowLongTheWindowLasted() {
        // A 60 s window at 0/min moves 1 - e^-1 of the way from 100 to 0.
        let t = DemandTrend.next(after: DemandTrend(smoothedPerMinute: 100, heldPerMinute: 100), window: window(60, requests: 0), settings: settings)!
        #expect(abs(t.smoothedPerMinute - 100 * exp(-1)) < 1e-9)
        // Six 10 s windows land in the same place.
        var u = DemandTrend(smoothedPerMinute: 100, heldPerMinute: 100)
        for _ in 0..<6 { u = DemandTrend.next(after: u, window: window(10, requests: 0), settings: settings)! }
        #expect(abs(u.smoothedPerMinute - t.smoothedPerMinute) < 1e-9)
    }

    @Test func theHeldRateRisesAtOnceAndHalvesNoFasterThanTheHalfLife() {
        var t = DemandTrend(smoothedPerMinute: 10, heldPerMinute: 10)
        t = DemandTrend.next(after: t, window: window(60, requests: 3000), settings: settings)!
        #expect(t.heldPerMinute == t.smoothedPerMinute && t.heldPerMinute > 1800)
        let peak = t.heldPerMinute
        for _ in 0..<60 { t = DemandTrend.next(after: t, window: window(10, requests: 0), settings: settings)! }
        // Ten minutes later (one half-life) the held rate is half the peak; the average is near 0.
        #expect(abs(t.heldPerMinute - peak / 2) < 1e-6)
        #expect(t.smoothedPerMinute < 1)
    }

    @Test func aFileWithANegativeRateIsRefused() {
        let json = #"{"servers": [], "trend": {"smoothedPerMinute": -1, "heldPerMinute": 0}}"#
        #expect(throws: DecodingError.self) { try ObservedState.decode(Data(json.utf8)) }
    }

    @Test func theTrendRoundTripsThroughTheObservedFile() throws {
        let state = ObservedState(servers: [], trend: DemandTrend(smoothedPerMinute: 1.5, heldPerMinute: 2.25))
        #expect(try ObservedState.decode(state.encoded()) == state)
    }
}

@Suite("Demand policy invariants over random fleets")
struct DemandPropertyTests {
    static func randomTrend(_ gene: Int) -> (DemandTrend, DemandSignal, StartupStatistic?) {
        let rate = Double(gene % 5000) / 3
        let backup = (gene / 5000) % 200
        let startup: StartupStatistic? = (gene / 1_000_000) % 3 == 0 ? nil : StartupStatistic(p90Seconds: Double(gene % 300), samples: 3)
        return (DemandTrend(smoothedPerMinute: rate / 2, heldPerMinute: rate), window(requests: backup * 2, backup: backup, reserved: gene % 7), startup)
    }

    @Test func neverPastMaxServersNeverBelowFloorsNeverStopsPlayers() async {
        await propertyCheck(count: 400, input: RandomFleet.specGene, RandomFleet.serverGenes, Gen.int(in: 0...10_000_000)) { specGene, genes, demandGene in
            var spec = RandomFleet.spec(specGene)
            spec.scaling.policy = .demand
            let (trend, signal, startup) = Self.randomTrend(demandGene)
            var state = RandomFleet.fleet(genes, spec: spec)
            state.trend = trend
            state.demand = signal
            state.startup = startup
            let plan = Planner.plan(spec: spec, observed: state, now: now)
            let byID = Dictionary(uniqueKeysWithValues: state.servers.map { ($0.id, $0) })
            for stop in plan.actions where stop.kind == .stop {
                let s = byID[stop.server!]!
                let healthy = s.health.hasAnswered && s.health.consecutiveFailures < spec.gameserver.health.failureThreshold
                let free = s.health.availableCapacity ?? 0
                let hasPlayers = s.health.readyToClose != true || free < spec.gameserver.capacity
                #expect(!(healthy && hasPlayers), "stopped \(s.id) which has players and answers health")
            }
            // Launches never take the fleet past maxServers.
            let existing = state.servers.filter { $0.lifecycle != .stopping }.count
            if plan.count(.launch) > 0 {
                #expect(existing - plan.count(.stop) + plan.count(.launch) <= spec.scaling.maxServers)
            }
            // The sizing never goes under fleet.yaml's floors, and parking never goes under it.
            let sizing = plan.summary.sizing!
            #expect(sizing.upscaleAt >= spec.scaling.upscaleMargin && sizing.downscaleAt >= spec.scaling.downscaleMargin)
            #expect(sizing.downscaleAt - sizing.upscaleAt > spec.gameserver.capacity)
            #expect(sizing.minServers >= spec.scaling.minServers)
            // Demand never parks more than the margin policy would on the same observation.
            var margin = spec
            margin.scaling.policy = .margin
            let marginPlan = Planner.plan(spec: margin, observed: state, now: now)
            let parkedForMargin = plan.actions.filter { $0.kind == .standby && $0.reasonCode == .aboveDownscaleMargin }.count
            #expect(parkedForMargin <= marginPlan.actions.filter { $0.kind == .standby && $0.reasonCode == .aboveDownscaleMargin }.count)
            #expect(plan.count(.launch) >= marginPlan.count(.launch))
        }
    }
}

@Suite("Growth forecast")
struct GrowthForecastTests {
    let settings = DemandSpec(headroomPercent: 125, smoothing: .seconds(60), halfLife: .seconds(600), forecast: .growth)

    @Test func departuresAreAllocationsLessTheGrowthOfPlayers() throws {
        let first = try #require(DemandTrend.next(after: nil, window: window(60, requests: 30), players: 100, settings: settings))
        #expect(first.players == 100 && first.departuresPerMinute == nil && first.heldGrowthPerMinute == nil)
        // 30 allocated in a minute, players 100 → 108 with 2 slots handed out and unconfirmed: 20 left.
        let second = try #require(DemandTrend.next(after: first, window: window(60, requests: 30, reserved: 2), players: 108, settings: settings))
        #expect(second.players == 110)
        #expect(second.departuresPerMinute == 20)
        #expect(abs(second.heldGrowthPerMinute! - 10) < 1e-9)
        // Everyone leaves: departures rise, growth turns negative, the held growth decays from 10.
        let third = try #require(DemandTrend.next(after: second, window: window(60, requests: 0), players: 0, settings: settings))
        #expect(third.departuresPerMinute! > 20)
        #expect(abs(third.heldGrowthPerMinute! - 10 * exp2(-0.1)) < 1e-9)
    }

    @Test func theForecastErrorIsMeasuredFromTheThirdWindow() throws {
        let first = try #require(DemandTrend.next(after: nil, window: window(60, requests: 30), players: 100, settings: settings))
        let second = try #require(DemandTrend.next(after: first, window: window(60, requests: 30, reserved: 2), players: 108, settings: settings))
        // Two windows give departures but nothing foreseen yet to compare with.
        #expect(second.growthErrorPerSecond == nil)
        // Foreseen: (30 arrivals - 20 departures)/min over 60 s = 10. Seen: 40 requests, players
        // 110 → 130, so 20 left: a net of 20, 10 more than foreseen: 10² / 60 s per second.
        let third = try #require(DemandTrend.next(after: second, window: window(60, requests: 40), players: 130, settings: settings))
        #expect(abs(third.growthErrorPerSecond! - 100.0 / 60) < 1e-9)
        // A window that brings nobody and loses nobody errs by all the growth foreseen; it moves the
        // measured error 1 - e^(-60/600) of the way, as the half-life's time constant says.
        let fourth = try #require(DemandTrend.next(after: third, window: window(60, requests: 0), players: 130, settings: settings))
        let foreseen = third.smoothedPerMinute - third.departuresPerMinute!
        let sample = foreseen * foreseen / 60
        #expect(abs(fourth.growthErrorPerSecond! - (100.0 / 60 + (sample - 100.0 / 60) * (1 - exp(-0.1)))) < 1e-9)
        // A window with no length measures nothing.
        let same = try #require(DemandTrend.next(after: fourth, window: window(0, requests: 0), players: 130, settings: settings))
        #expect(same.growthErrorPerSecond == fourth.growthErrorPerSecond)
    }

    struct SafetyCase: CustomTestStringConvertible, Sendable {
        let name: String
        let error: Double?
        /// `scaling.demand.safety`; nil: the default (2.5).
        var deviations: Double? = nil
        let safety: Int
        let target: Int
        var testDescription: String { name }
    }

    static let safetyCases: [SafetyCase] = [
        // 2.5 × √((100 + 90)/min × 1 min) = 34.5 → 35; + 12.5 expected = 47.5 → 48.
        SafetyCase(name: "nothing measured yet: Poisson wander of arrivals plus departures", error: nil, safety: 35, target: 48),
        // 2.5 × √(2/s × 60 s) = 27.4 → 28; + 12.5 = 40.5 → 41.
        SafetyCase(name: "a measured error of 2 per second over a 60 s lead", error: 2, safety: 28, target: 41),
        // 3 × √(2/s × 60 s) = 32.9 → 33; + 12.5 = 45.5 → 46.
        SafetyCase(name: "the same with safety: 3", error: 2, deviations: 3, safety: 33, target: 46),
        // No safety asked for: the forecast alone.
        SafetyCase(name: "safety: 0 keeps the forecast alone", error: 2, deviations: 0, safety: 0, target: 13),
        // A forecast that never erred keeps no safety: the margins remain the floor.
        SafetyCase(name: "a forecast that never erred", error: 0, safety: 0, target: 13),
        // 2.5 × √(30/s × 60 s) = 106.1 → 107; + 12.5 = 119.5 → 120 (a burst's surprise remembered).
        SafetyCase(name: "a large measured error after a burst", error: 30, safety: 107, target: 120),
    ]

    @Test(arguments: safetyCases)
    func theSafetyScalesWithTheMeasuredError(_ c: SafetyCase) throws {
        var s = demandSpec()
        s.scaling.demand.forecast = .growth
        if let deviations = c.deviations { s.scaling.demand.safety = deviations }
        let observed = ObservedState(servers: DemandSizingTests.ten, startup: StartupStatistic(p90Seconds: 50, samples: 5),
                                     trend: DemandTrend(smoothedPerMinute: 100, heldPerMinute: 100, players: 90, departuresPerMinute: 90,
                                                        heldGrowthPerMinute: 10, growthErrorPerSecond: c.error))
        let forecast = try #require(Planner.plan(spec: s, observed: observed, now: now).summary.sizing?.forecast)
        #expect(forecast.safety == c.safety)
        #expect(forecast.target == c.target)
        // The plan line says where the safety came from when it was measured.
        #expect(DemandSizing.describe(forecast).contains("+ \(c.safety) safety (measured) =") == (c.error != nil))
        #expect(forecast.safetyMeasured == (c.error != nil ? true : nil))
    }

    @Test func aNegativeOrEndlessForecastErrorIsRefusedByName() {
        for value in ["-1", "1e300"] {
            let json = #"{"servers": [], "trend": {"smoothedPerMinute": 1, "heldPerMinute": 1, "growthErrorPerSecond": "# + value + "}}"
            #expect {
                try ObservedState.decode(Data(json.utf8))
            } throws: { error in
                "\(error)".contains("growthErrorPerSecond")
            }
        }
    }

    @Test func playersAreCountedFromAnsweringServers() {
        let servers = [server("a", free: 3), server("b", free: nil), server("c", free: 10, standby: true), server("d", free: 12),
                       server("e", free: 0, lifecycle: .stopping)]
        #expect(DemandTrend.players(on: servers, capacity: 10) == 7)
    }

    @Test func growthSizesForNetArrivalsPlusTheirWander() {
        var s = demandSpec()
        s.scaling.demand.forecast = .growth
        let observed = ObservedState(servers: DemandSizingTests.ten, startup: StartupStatistic(p90Seconds: 50, samples: 5),
                                     trend: DemandTrend(smoothedPerMinute: 100, heldPerMinute: 100, players: 90, departuresPerMinute: 90, heldGrowthPerMinute: 10))
        let plan = Planner.plan(spec: s, observed: observed, now: now)
        // 10/min × 60 s × 125% = 12.5, + 2.5 × √(190 × 1 min) = 34.5 → 35: 48 wanted, 10 free: 4 launches.
        #expect(plan.count(.launch) == 4)
        #expect(plan.actions.first?.reason == "free slots 10 < 48; demand: 10.0 net arrivals/min × 60s (startup p90 50s + interval 10s) × 125% + 35 safety = 48, + 0 unmet, + 0 reserved = 48 free slots wanted")
        // A fleet emptying (negative growth) keeps only the safety.
        var shrinking = observed
        shrinking.trend?.heldGrowthPerMinute = -50
        #expect(Planner.plan(spec: s, observed: shrinking, now: now).summary.sizing?.forecast?.target == 35)
    }
}
