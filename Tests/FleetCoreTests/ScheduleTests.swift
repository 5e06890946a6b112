import Foundation
import Testing
import Timestamps
@testable import FleetCore

@Suite("Cron expressions")
struct CronExpressionTests {
    struct Match: CustomTestStringConvertible, Sendable {
        let cron: String
        /// month, day, weekday, hour, minute
        let at: (Int, Int, Int, Int, Int)
        let fires: Bool
        var testDescription: String { "'\(cron)' at \(at): \(fires)" }
    }

    static let matchCases: [Match] = [
        Match(cron: "0 20 * * 5", at: (11, 27, 5, 20, 0), fires: true),
        Match(cron: "0 20 * * 5", at: (11, 27, 5, 20, 1), fires: false),
        Match(cron: "0 20 * * 5", at: (11, 26, 4, 20, 0), fires: false),
        Match(cron: "0 20 * * fri", at: (11, 27, 5, 20, 0), fires: true),
        Match(cron: "*/15 * * * *", at: (1, 1, 0, 3, 45), fires: true),
        Match(cron: "*/15 * * * *", at: (1, 1, 0, 3, 50), fires: false),
        Match(cron: "5/20 9-17 * * mon-fri", at: (3, 2, 1, 9, 45), fires: true),
        Match(cron: "5/20 9-17 * * mon-fri", at: (3, 2, 1, 18, 45), fires: false),
        Match(cron: "5/20 9-17 * * mon-fri", at: (3, 1, 0, 9, 45), fires: false),
        Match(cron: "0 0 1,15 * *", at: (2, 15, 3, 0, 0), fires: true),
        Match(cron: "0 0 * DEC,jan sun", at: (12, 7, 0, 0, 0), fires: true),
        Match(cron: "0 0 * 12 7", at: (12, 7, 0, 0, 0), fires: true),
        // Both day fields restricted: either matches, as crontab(5) says.
        Match(cron: "0 12 13 * 5", at: (6, 13, 2, 12, 0), fires: true),
        Match(cron: "0 12 13 * 5", at: (6, 20, 5, 12, 0), fires: true),
        Match(cron: "0 12 13 * 5", at: (6, 20, 4, 12, 0), fires: false),
        // A starred day of month with a step leaves the weekday alone in charge of... both.
        Match(cron: "0 12 */2 * 5", at: (6, 20, 5, 12, 0), fires: false),
        Match(cron: "0-10/5,30 * * * *", at: (1, 1, 0, 0, 30), fires: true),
        Match(cron: "0-10/5,30 * * * *", at: (1, 1, 0, 0, 10), fires: true),
        Match(cron: "0-10/5,30 * * * *", at: (1, 1, 0, 0, 11), fires: false),
    ]

    @Test(arguments: matchCases)
    func matches(_ m: Match) throws {
        let cron = try CronExpression(parsing: m.cron)
        #expect(cron.matches(month: m.at.0, day: m.at.1, weekday: m.at.2, hour: m.at.3, minute: m.at.4) == m.fires)
    }

    static let errors: [(String, String)] = [
        ("0 20 * *", "expected 5 fields"),
        ("60 20 * * 5", "minute field '60': 60 is outside 0-59"),
        ("0 24 * * 5", "hour field '24': 24 is outside 0-23"),
        ("0 20 0 * *", "day of month field '0'"),
        ("0 20 * 13 *", "month field '13'"),
        ("0 20 * * 8", "day of week field '8'"),
        ("0 20 * * fry", "'fry' is not a number from 0 to 7 or a name (sun, mon, tue, wed, thu, fri, sat)"),
        ("*/0 * * * *", "the step after '/' must be a whole number from 1 to 60"),
        ("0 20-8 * * *", "the range 20-8 runs backwards"),
        ("0,,5 * * * *", "an empty item in the list"),
        ("0 0 31 2 *", "never fires"),
        ("-1 * * * *", "minute field '-1'"),
    ]

    @Test(arguments: errors)
    func refuses(_ text: String, _ message: String) {
        #expect {
            _ = try CronExpression(parsing: text)
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}

@Suite("Schedule windows")
struct ScheduleWindowTests {
    static func utc(_ text: String) -> Date { RFC3339Time.date(from: text)! }

    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 1970, 1, 1, 4), ("2026-11-27T19:05:00Z", 2026, 11, 27, 5),
        ("2000-02-29T12:00:00Z", 2000, 2, 29, 2), ("1969-12-31T23:59:00Z", 1969, 12, 31, 3),
        ("2100-03-01T00:00:00Z", 2100, 3, 1, 1),
    ])
    func civilTime(_ text: String, _ year: Int, _ month: Int, _ day: Int, _ weekday: Int) {
        let t = CivilTime(secondsSinceEpoch: Int(Self.utc(text).timeIntervalSince1970))
        #expect(t.year == year && t.month == month && t.day == day && t.weekday == weekday)
    }

    func friday8pmParis(minFree: Int = 300) throws -> ScheduleWindow {
        ScheduleWindow(cron: try CronExpression(parsing: "0 20 * * 5"), timeZone: try #require(TimeZone(identifier: "Europe/Paris")),
                       duration: .seconds(7200), minFreeSlots: minFree)
    }

    @Test(arguments: [
        // Winter: 20:00 in Paris is 19:00 UTC.
        ("2026-11-27T19:00:00Z", 0.0, "2026-11-27T19:00:00Z"),
        ("2026-11-27T20:59:59Z", 0.0, "2026-11-27T19:00:00Z"),
        ("2026-11-27T21:00:00Z", 0.0, nil),
        ("2026-11-27T18:59:00Z", 0.0, nil),
        // Pre-warm: 95 s early it is open.
        ("2026-11-27T18:58:30Z", 95.0, "2026-11-27T19:00:00Z"),
        ("2026-11-27T18:58:00Z", 95.0, nil),
        // Summer: 20:00 in Paris is 18:00 UTC.
        ("2026-07-03T18:30:00Z", 0.0, "2026-07-03T18:00:00Z"),
        ("2026-07-03T19:30:00Z", 0.0, "2026-07-03T18:00:00Z"),
        ("2026-07-03T20:00:00Z", 0.0, nil),
        // Thursday: nothing.
        ("2026-11-26T19:30:00Z", 0.0, nil),
    ] as [(String, Double, String?)])
    func firing(_ nowText: String, _ lead: Double, _ expected: String?) throws {
        let window = try friday8pmParis()
        #expect(window.firing(covering: Self.utc(nowText), lead: lead) == expected.map(Self.utc))
    }

    @Test func aWindowRaisesTheFreeSlotsWithItsOwnReason() throws {
        var s = spec(max: 100)
        s.scaling.schedule = [try friday8pmParis(minFree: 100)]
        let fleet = (0..<5).map { server("s\($0)", free: 2) }
        let before = Planner.plan(spec: s, observed: ObservedState(servers: fleet), now: Self.utc("2026-11-27T18:00:00Z"))
        #expect(before.count(.launch) == 0)
        // startupGrace (120 s) early, as nothing was measured.
        let prewarm = Planner.plan(spec: s, observed: ObservedState(servers: fleet), now: Self.utc("2026-11-27T18:58:10Z"))
        #expect(prewarm.count(.launch) == 9)
        #expect(prewarm.actions.allSatisfy { $0.reasonCode == .scheduledWindow })
        #expect(prewarm.actions.first?.reason == "free slots 10 < 100 wanted by schedule '0 20 * * 5' Europe/Paris for 2h")
        #expect(PlanTextRenderer.render(prewarm, fleet: "chess").contains("Sizing (margin): keep 100 to 114 free slots and 1 active server; schedule: '0 20 * * 5' Europe/Paris for 2h."))
        // A measured startup of 30 s: not open yet at 18:58:10, open at 18:59:40.
        var observed = ObservedState(servers: fleet, startup: StartupStatistic(p90Seconds: 30, samples: 4))
        #expect(Planner.plan(spec: s, observed: observed, now: Self.utc("2026-11-27T18:58:10Z")).count(.launch) == 0)
        observed.observedAt = nil
        #expect(Planner.plan(spec: s, observed: observed, now: Self.utc("2026-11-27T18:59:40Z")).count(.launch) == 9)
    }

    @Test func aServerFloorNeverPassesMaxServers() throws {
        var s = spec(max: 8)
        s.scaling.schedule = [ScheduleWindow(cron: try CronExpression(parsing: "* * * * *"), timeZone: TimeZone(identifier: "UTC")!,
                                             duration: .seconds(60), minServers: 20)]
        let plan = Planner.plan(spec: s, observed: ObservedState(servers: (0..<5).map { server("s\($0)", free: 9) }), now: now)
        #expect(plan.count(.launch) == 3)
        #expect(plan.actions.allSatisfy { $0.reasonCode == .scheduledWindow })
        #expect(plan.summary.sizing?.minServers == 8)
    }
}
