import Foundation
import PropertyBased
import Testing
@testable import FleetCore

/// The start of minute 0 of the profile tests: a whole hour (2027-01-15T08:00:00Z).
let minuteZero = Date(timeIntervalSince1970: 1_800_000_000)

/// A profile fed `arrivals` (one figure a minute from ``minuteZero``) as serve feeds it: a window
/// every 10 seconds, each minute's arrivals shared evenly over its windows.
func profile(_ arrivals: [Int]) -> SeasonalProfile {
    var p = SeasonalProfile(at: minuteZero)
    for (minute, count) in arrivals.enumerated() {
        for window in 0..<6 {
            let start = minuteZero.addingTimeInterval(Double(minute * 60 + window * 10))
            let share = count / 6 + (window < count % 6 ? 1 : 0)
            p.count(requests: share, from: start, to: start.addingTimeInterval(10))
        }
    }
    return p
}

/// `minutes` minutes of `base` arrivals a minute, with `extra` more at each minute of `bursts`.
func traffic(minutes: Int, base: Int = 50, bursts: [Int: Int] = [:]) -> [Int] {
    (0..<minutes).map { base + (bursts[$0] ?? 0) }
}

@Suite("Seasonal profile")
struct SeasonalProfileTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let arrivals: [Int]
        /// When the pass asks, in seconds from minute 0.
        let at: Double
        /// The lead time asked for, in seconds.
        let horizon: Double
        /// Arrivals expected (0: none), and the minute the first expected burst starts.
        let expected: Int
        let minute: Int?
        var testDescription: String { name }
    }

    static let every20 = [10: 600, 30: 600]
    static let cases: [Case] = [
        Case(name: "steady traffic has no burst and foresees nothing",
             arrivals: traffic(minutes: 120), at: 120 * 60, horizon: 90, expected: 0, minute: nil),
        Case(name: "one burst (a flash crowd) foresees nothing",
             arrivals: traffic(minutes: 60, bursts: [10: 3000, 11: 2000]), at: 60 * 60, horizon: 90, expected: 0, minute: nil),
        Case(name: "bursts at minutes 10 and 30 foresee 600 at minute 50, one lead and a minute early",
             arrivals: traffic(minutes: 47, bursts: every20), at: 47 * 60 + 30, horizon: 90, expected: 600, minute: 50),
        Case(name: "…but not earlier than the lead time allows",
             arrivals: traffic(minutes: 45, bursts: every20), at: 45 * 60, horizon: 90, expected: 0, minute: nil),
        Case(name: "the largest similar burst is expected (arenas vary: 400, then 700)",
             arrivals: traffic(minutes: 48, bursts: [10: 400, 30: 700]), at: 48 * 60, horizon: 90, expected: 700, minute: 50),
        Case(name: "a burst under way counts against what was expected: 600 expected, 400 seen",
             arrivals: traffic(minutes: 50, bursts: every20) + [50 + 400], at: 51 * 60 - 1, horizon: 90, expected: 200, minute: 50),
        Case(name: "a burst that did not come a minute after its time is no longer waited for",
             arrivals: traffic(minutes: 52, bursts: every20), at: 52 * 60, horizon: 90, expected: 0, minute: nil),
        Case(name: "bursts 3 minutes apart are one crowd, not a series",
             arrivals: traffic(minutes: 20, bursts: [10: 600, 13: 600]), at: 15 * 60, horizon: 90, expected: 0, minute: nil),
        Case(name: "bursts of very different sizes (100 and 2000) are not a series",
             arrivals: traffic(minutes: 47, bursts: [10: 100, 30: 2000]), at: 47 * 60 + 30, horizon: 90, expected: 0, minute: nil),
        Case(name: "a slow surge of 30% on busy traffic is no burst",
             arrivals: traffic(minutes: 60, base: 500, bursts: Dictionary(uniqueKeysWithValues: (20..<30).map { ($0, 150) } + (40..<50).map { ($0, 150) })),
             at: 58 * 60, horizon: 90, expected: 0, minute: nil),
        Case(name: "the same minute a day apart foresees the next day, with another series in between",
             arrivals: traffic(minutes: 2 * 1440 + 1190, bursts: [1200: 1500, 1440 + 600: 1200, 1440 + 1200: 1500]),
             at: Double(2 * 1440 + 1198) * 60 + 30, horizon: 90, expected: 1500, minute: 2 * 1440 + 1200),
    ]

    @Test(arguments: cases)
    func foresees(_ c: Case) {
        let p = profile(c.arrivals)
        let forecast = p.forecast(at: minuteZero.addingTimeInterval(c.at), horizon: c.horizon)
        // Within two arrivals: a burst's excess is measured against a baseline the last one moved.
        #expect(abs((forecast?.arrivals ?? 0) - c.expected) <= 2, "\(String(describing: forecast)) \(p.bursts)")
        if let minute = c.minute {
            #expect(forecast?.at == minuteZero.addingTimeInterval(Double(minute) * 60))
        }
    }

    @Test func aBurstIsWhatStandsWellAboveTheBaseline() {
        let p = profile(traffic(minutes: 30, bursts: [10: 600, 11: 300]))
        #expect(p.bursts.count == 1)
        let burst = try! #require(p.bursts.first)
        #expect(burst.start == minuteZero.addingTimeInterval(600) && burst.minutes == 2)
        #expect((880...900).contains(burst.arrivals), "\(burst)")
        // The burst barely moved the baseline: the next one is measured against the quiet traffic.
        #expect(abs((p.baselinePerMinute ?? 0) - 50) < 10)
    }

    @Test("Awaiting a burst: from the second of a series until it comes, or a minute after its time")
    func awaitsTheNextBurstOfASeries() {
        let series = traffic(minutes: 55, bursts: Self.every20)
        let at = { (minute: Double) in minuteZero.addingTimeInterval(minute * 60) }
        #expect(!profile(Array(series.prefix(25))).awaitsBurst(at: at(25)), "one burst is no series")
        #expect(profile(Array(series.prefix(35))).awaitsBurst(at: at(35)), "two, 20 minutes apart: the third is awaited")
        #expect(profile(Array(series.prefix(50)) + [700]).awaitsBurst(at: at(50.9)) == false, "it came in full")
        #expect(!profile(Array(series.prefix(52))).awaitsBurst(at: at(52)), "not come a minute after its time")
        #expect(!profile(traffic(minutes: 60, bursts: [10: 3000, 11: 2000])).awaitsBurst(at: at(60)), "a flash crowd")
    }

    @Test func thePlanLineSaysWhatIsExpectedAndWhen() {
        let forecast = SeasonalForecast(arrivals: 240, at: minuteZero.addingTimeInterval(30 * 60), everySeconds: 1800)
        #expect(forecast.text == "seasonal: 240 arrivals expected at :30 (every 30m)")
        let daily = SeasonalForecast(arrivals: 1500, at: minuteZero.addingTimeInterval(12 * 3600), everySeconds: 86_400)
        #expect(daily.text == "seasonal: 1500 arrivals expected at 20:00 UTC (daily)")
    }

    @Test func memoryIsBounded() {
        // A burst every 6 minutes for three days: far more than the limit, and older than memory.
        var bursts: [Int: Int] = [:]
        for m in stride(from: 5, to: 3 * 1440, by: 6) { bursts[m] = 600 }
        let p = profile(traffic(minutes: 3 * 1440, bursts: bursts))
        #expect(p.bursts.count <= SeasonalProfile.limit)
        let oldest = try! #require(p.bursts.first)
        #expect(p.bursts.last!.start.timeIntervalSince(oldest.start) <= SeasonalProfile.memory)
        // The JSON form stays small (a DynamoDB item holds 400 KB).
        #expect(try! p.storedJSONSize() < 64_000)
    }

    @Test func aGapClosesTheBurstAndCountsNothingForTheMissedMinutes() {
        var p = profile(traffic(minutes: 12, bursts: [11: 600]))
        #expect(p.open != nil)
        // Three hours later (a restart): the burst under way is closed, nothing counted meanwhile.
        let later = minuteZero.addingTimeInterval(3 * 3600)
        p.count(requests: 8, from: later, to: later.addingTimeInterval(10))
        #expect(p.open == nil && p.bursts.count == 1)
        #expect(p.minute == later)
    }

    @Test func theJSONFormRoundTripsAndRefusesNonsense() throws {
        let p = profile(traffic(minutes: 47, bursts: Self.every20))
        var observed = ObservedState(servers: [])
        observed.seasonal = p
        let back = try ObservedState.decode(try observed.encoded())
        #expect(back.seasonal == p)
        let bad = #"{"servers": [], "seasonal": {"minute": "2027-01-15T08:00:00Z", "counted": -1, "bursts": []}}"#
        #expect(throws: DecodingError.self) { try ObservedState.decode(Data(bad.utf8)) }
        let long = #"{"servers": [], "seasonal": {"minute": "2027-01-15T08:00:00Z", "counted": 1, "bursts": [{"start": "2027-01-15T08:00:00Z", "minutes": 0, "arrivals": 5}]}}"#
        #expect(throws: DecodingError.self) { try ObservedState.decode(Data(long.utf8)) }
    }
}

extension SeasonalProfile {
    func storedJSONSize() throws -> Int {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self).count
    }
}

@Suite("The default demand policy")
struct DefaultDemandPolicyTests {
    /// `policy: demand` and nothing else.
    static func defaultSpec(max: Int = 200, maxLaunches: Int = 100) -> FleetSpec {
        var s = spec(upscale: 4, downscale: 18, min: 1, max: max, maxLaunches: maxLaunches)
        s.scaling.policy = .demand
        return s
    }

    @Test func theDefaultIsTheGrowthForecastWithSeasonality() {
        #expect(DemandSpec() == DemandSpec.defaults)
        #expect(DemandSpec.defaults.forecast == .growth && DemandSpec.defaults.seasonal)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let arrivals: [Int]
        /// Seconds from minute 0.
        let at: Double
        let launches: Int
        let reason: String?
        var testDescription: String { name }
    }

    // Ten servers with one free slot each; startup p90 50 s + interval 10 s = a 60 s lead; a quiet
    // trend (growth 0, Poisson safety 2.5 × √10 → 8 slots).
    static let cases: [Case] = [
        Case(name: "a quiet fleet keeps the margins: no launch",
             arrivals: traffic(minutes: 47, base: 5), at: 48 * 60 + 30, launches: 0, reason: nil),
        Case(name: "bursts of 600 at minutes 10 and 30: 600 + 8 safety free slots for minute 50 from 48:30 (10 free: launch 60)",
             arrivals: traffic(minutes: 47, base: 5, bursts: [10: 600, 30: 600]), at: 48 * 60 + 30, launches: 60,
             reason: "seasonal: 600 arrivals expected at :50 (every 20m)"),
        Case(name: "seasonality off: the same history launches nothing",
             arrivals: traffic(minutes: 47, base: 5, bursts: [10: 600, 30: 600]), at: -1, launches: 0, reason: nil),
    ]

    /// Ten servers up for ten minutes, one free slot each, last probed at `time`.
    static func tenWithOneFreeSlot(spec: FleetSpec, at time: Date) -> [ObservedServer] {
        (0..<10).map { i in
            ObservedServer(id: "s\(i)", address: HostPort(host: "127.0.0.1", port: 7000 + i), taskDefinition: spec.taskDefinition,
                           launchedAt: time.addingTimeInterval(-600),
                           health: HealthRecord(availableCapacity: 1, readyToClose: false, consecutiveFailures: 0, lastSuccessAt: time))
        }
    }

    @Test(arguments: cases)
    func sizes(_ c: Case) {
        var s = Self.defaultSpec()
        var at = c.at
        if at < 0 {
            s.scaling.demand.seasonal = false
            at = 48 * 60 + 30
        }
        let time = minuteZero.addingTimeInterval(at)
        let servers = Self.tenWithOneFreeSlot(spec: s, at: time)
        let observed = ObservedState(servers: servers, startup: StartupStatistic(p90Seconds: 50, samples: 5),
                                     trend: DemandTrend(smoothedPerMinute: 5, heldPerMinute: 5, players: 90, departuresPerMinute: 5, heldGrowthPerMinute: 0),
                                     seasonal: profile(c.arrivals))
        let plan = Planner.plan(spec: s, observed: observed, now: time)
        #expect(plan.count(.launch) == c.launches, "\(plan.actions.first?.reason ?? "")")
        if let reason = c.reason {
            #expect(plan.actions.first?.reason.contains(reason) == true, "\(plan.actions.first?.reason ?? "")")
            #expect(plan.summary.sizing?.forecast?.seasonal?.arrivals == 600)
        }
    }

    struct HeldCase: CustomTestStringConvertible, Sendable {
        let name: String
        let arrivals: [Int]
        /// Minutes from minute 0.
        let atMinute: Double
        let seasonal: Bool
        /// True: the growth read is the measured one (0 here), so nothing launches; false: the
        /// held 300 a minute is read.
        let released: Bool
        var testDescription: String { name }
    }

    static let heldCases: [HeldCase] = [
        HeldCase(name: "bursts at 10 and 30, the next awaited at 50: growth as measured between bursts",
                 arrivals: traffic(minutes: 40, base: 5, bursts: [10: 600, 30: 600]), atMinute: 40, seasonal: true, released: true),
        HeldCase(name: "one burst (a flash crowd): the growth it raised is held",
                 arrivals: traffic(minutes: 40, base: 5, bursts: [30: 600]), atMinute: 40, seasonal: true, released: false),
        HeldCase(name: "seasonality off: held, whatever the history",
                 arrivals: traffic(minutes: 40, base: 5, bursts: [10: 600, 30: 600]), atMinute: 40, seasonal: false, released: false),
        HeldCase(name: "the burst due at 50 never came (a series that ended): held again",
                 arrivals: traffic(minutes: 53, base: 5, bursts: [10: 600, 30: 600]), atMinute: 53, seasonal: true, released: false),
    ]

    /// After a burst the held growth keeps its room for a half-life; when the history awaits the
    /// next burst of a series, the pre-warm keeps that room before it comes, so between bursts the
    /// growth is read as measured (here: smoothed arrivals 5 a minute, departures 5, held 300).
    @Test(arguments: heldCases)
    func heldGrowthIsReleasedWhileTheNextBurstIsAwaited(_ c: HeldCase) throws {
        var s = Self.defaultSpec()
        s.scaling.demand.seasonal = c.seasonal
        let time = minuteZero.addingTimeInterval(c.atMinute * 60)
        let servers = Self.tenWithOneFreeSlot(spec: s, at: time)
        let observed = ObservedState(servers: servers, startup: StartupStatistic(p90Seconds: 50, samples: 5),
                                     trend: DemandTrend(smoothedPerMinute: 5, heldPerMinute: 300, players: 90, departuresPerMinute: 5, heldGrowthPerMinute: 300),
                                     seasonal: profile(c.arrivals))
        let plan = Planner.plan(spec: s, observed: observed, now: time)
        let forecast = try #require(plan.summary.sizing?.forecast)
        #expect(forecast.growthAsMeasured == (c.released ? true : nil))
        #expect(forecast.arrivalsPerMinute == (c.released ? 0 : 300))
        #expect(forecast.seasonal == nil, "nothing is due within the lead time")
        if c.released {
            #expect(plan.count(.launch) == 0, "\(plan.actions.first?.reason ?? "")")
        } else {
            // 300 a minute × 60 s × 125% = 375 free slots, plus the safety: at least 37 launches.
            #expect(plan.count(.launch) >= 37, "\(plan.actions.first?.reason ?? "")")
        }
        let text = DemandSizing.describe(forecast)
        #expect(text.contains("(as measured: the next burst is foreseen)") == c.released, "\(text)")
    }

    /// Whatever the fleet, the demand measured and the bursts remembered, the default policy never
    /// launches fewer servers (nor activates fewer) than fixed margins would: its thresholds only
    /// ever raise the margins.
    @Test func neverLaunchesFewerThanTheMarginPolicy() async {
        await propertyCheck(count: 300, input: RandomFleet.specGene, RandomFleet.serverGenes, Gen.int(in: 0...1_000_000)) { specGene, genes, demandGene in
            var margin = RandomFleet.spec(specGene)
            let state0 = RandomFleet.fleet(genes, spec: margin)
            var demand = margin
            demand.scaling.policy = .demand
            margin.scaling.policy = .margin
            var state = state0
            let rate = Double(demandGene % 1000)
            let burstEvery = 5 + demandGene / 1000 % 40
            state.startup = demandGene % 3 == 0 ? nil : StartupStatistic(p90Seconds: Double(demandGene % 200), samples: 3)
            state.trend = DemandTrend(smoothedPerMinute: rate, heldPerMinute: rate, players: demandGene % 500,
                                      departuresPerMinute: Double(demandGene / 7 % 1000), heldGrowthPerMinute: Double(demandGene % 2000) - 1000,
                                      growthErrorPerSecond: demandGene % 5 == 0 ? nil : Double(demandGene % 300))
            state.demand = DemandSignal(windowSeconds: 10, tally: AllocationTally(server: demandGene % 50, backup: demandGene % 7, none: 0),
                                        reservedUnconfirmed: demandGene % 11)
            state.seasonal = profile(traffic(minutes: 60, base: demandGene % 90, bursts: [10: 500, 10 + burstEvery: 500]))
            let when = minuteZero.addingTimeInterval(Double(demandGene % 3600))
            let byMargin = Planner.plan(spec: margin, observed: state, now: when)
            let byDemand = Planner.plan(spec: demand, observed: state, now: when)
            #expect(byDemand.count(.launch) >= byMargin.count(.launch), "margin \(steps(byMargin)) demand \(steps(byDemand))")
            #expect(byDemand.count(.launch) + byDemand.count(.activate) >= byMargin.count(.launch) + byMargin.count(.activate))
        }
    }
}
