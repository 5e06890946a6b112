import Foundation
import Testing
@testable import FleetCore

/// A follower's holding: it hands out what it was lent by the fleet's strategy, reports it, expires
/// by its own clock from when it asked, and never answers from anything else.
@Suite("Loans: a follower's holding")
struct BorrowedSlotsTests {
    static let backup = HostPort(host: "10.9.9.9", port: 9000)

    static func holding(_ lent: [LentSlots], strategy: AllocationStrategy = .packed, whenOut: LoanGrant.WhenOut = .forward,
                        expiresInMs: Int = 3000, target: Int = 10, backup: HostPort? = backup) -> BorrowedSlots {
        var slots = BorrowedSlots(strategy: strategy, backup: backup, capacity: 10)
        slots.accept(LoanGrant(account: "acct", added: lent, target: target, expiresInMs: expiresInMs, whenOut: whenOut), sentAt: .seconds(100))
        return slots
    }

    static func lent(_ server: String, _ count: Int, current: Bool = true) -> LentSlots {
        LentSlots(server: server, address: HostPort(host: "127.0.0.\(server.utf8.first! % 50 + 2)", port: 7000), count: count, current: current)
    }

    static func servers(_ answers: [BorrowedSlots.Answer]) -> [String] {
        answers.map {
            switch $0 {
            case .lent(.server(let id, _)): return id
            case .lent, .full(.server): return "?"
            case .full(.backup): return "backup"
            case .full(.none): return "none"
            case .forward: return "forward"
            }
        }
    }

    /// Answers for `count` players at 101 s (within the loan) from a holding.
    struct AnswerCase: Sendable, CustomTestStringConvertible {
        var name: String
        var lent: [LentSlots]
        var strategy: AllocationStrategy = .packed
        var whenOut: LoanGrant.WhenOut = .forward
        var reachable = true
        var backup: HostPort? = BorrowedSlotsTests.backup
        var count: Int
        var answers: [String]
        var testDescription: String { name }
    }

    static let answerCases: [AnswerCase] = [
        AnswerCase(name: "packed: the server with the fewest lent slots first, then forward",
                   lent: [lent("a", 2), lent("b", 1)], count: 4, answers: ["b", "a", "a", "forward"]),
        AnswerCase(name: "spread: the most lent first, ties to the smaller id",
                   lent: [lent("a", 2), lent("b", 2)], strategy: .spread, count: 4, answers: ["a", "b", "a", "b"]),
        AnswerCase(name: "current servers before outdated ones",
                   lent: [lent("a", 1, current: false), lent("b", 2)], count: 3, answers: ["b", "b", "a"]),
        AnswerCase(name: "the leader had nothing free beyond the loan: the backup once it runs out, no round trip",
                   lent: [lent("a", 1)], whenOut: .full, count: 3, answers: ["a", "backup", "backup"]),
        AnswerCase(name: "the leader cannot be reached: the backup once the loan runs out, never its own view",
                   lent: [lent("a", 1)], reachable: false, count: 2, answers: ["a", "backup"]),
        AnswerCase(name: "no backup either: none (503)",
                   lent: [], reachable: false, backup: nil, count: 1, answers: ["none"]),
    ]

    @Test("Answering players from a holding", arguments: answerCases)
    func answers(_ c: AnswerCase) {
        var slots = Self.holding(c.lent, strategy: c.strategy, whenOut: c.whenOut, backup: c.backup)
        let answers = (0..<c.count).map { _ in slots.answer(at: .seconds(101), leaderReachable: c.reachable) }
        #expect(Self.servers(answers) == c.answers)
    }

    @Test("The holding expires by the follower's clock from when it sent its request, and hands out nothing after")
    func expiry() {
        var slots = Self.holding([Self.lent("a", 5)], expiresInMs: 600)
        #expect(Self.servers([slots.answer(at: .milliseconds(100_599), leaderReachable: false)]) == ["a"])
        #expect(Self.servers([slots.answer(at: .milliseconds(100_600), leaderReachable: false)]) == ["backup"])
        #expect(slots.holding == 0)
        #expect(slots.expiredUnused == 4)
        #expect(slots.account == nil, "the next report names no account: the leader ends it")
        #expect(Self.servers([slots.answer(at: .seconds(101), leaderReachable: true)]) == ["forward"], "an expired holding's advice does not last")
    }

    @Test("A report carries what was handed out since the last one and gives back what is held beyond the target")
    func report() {
        var slots = Self.holding([Self.lent("a", 4), Self.lent("b", 3)], target: 3)
        _ = slots.answer(at: .seconds(101), leaderReachable: true)  // b (packed)
        slots.noteForwarded()
        let report = slots.report(follower: "f", at: .seconds(101))
        #expect(report.account == "acct")
        #expect(report.used == ["b": 1])
        #expect(report.answered == AllocationTally(server: 1))
        #expect(report.forwarded == 1)
        #expect(report.returned.values.reduce(0, +) == 3, "6 held, target 3: 3 back")
        #expect(report.returned == ["a": 3])
        #expect(slots.holding == 3)
        _ = slots.answer(at: .seconds(101), leaderReachable: true)
        let next = slots.report(follower: "f", at: .seconds(101))
        #expect(next.used == ["a": 1, "b": 1] && next.returned == ["a": 3], "the books' counts are totals of the account")
        #expect(next.forwarded == 0 && next.answered == AllocationTally(server: 1), "demand counts are since the last report")
    }

    @Test("A recall takes back what is still held of a server and reports it given back")
    func recall() {
        var slots = Self.holding([Self.lent("a", 3), Self.lent("b", 1)])
        _ = slots.answer(at: .seconds(101), leaderReachable: true)  // b
        slots.accept(LoanGrant(account: "acct", added: [], target: 10, expiresInMs: 3000, whenOut: .forward, recall: ["a": 2, "b": 1]), sentAt: .seconds(101))
        #expect(slots.slots.mapValues(\.count) == ["a": 1])
        let report = slots.report(follower: "f", at: .seconds(101))
        #expect(report.returned == ["a": 2], "b was already used: nothing of it to give back")
        #expect(report.used == ["b": 1])
    }

    @Test("A grant on the same account tops up; one on another account replaces the holding")
    func accept() {
        var slots = Self.holding([Self.lent("a", 2)])
        slots.accept(LoanGrant(account: "acct", added: [Self.lent("a", 1), Self.lent("b", 1)], target: 4, expiresInMs: 3000, whenOut: .forward), sentAt: .seconds(102))
        #expect(slots.holding == 4)
        #expect(slots.expiresAt == .seconds(105))
        _ = slots.answer(at: .seconds(103), leaderReachable: true)
        slots.accept(LoanGrant(account: "new-leader", added: [Self.lent("c", 2)], target: 2, expiresInMs: 3000, whenOut: .forward), sentAt: .seconds(104))
        #expect(slots.slots.keys.sorted() == ["c"])
        #expect(slots.used.isEmpty, "use of the old account is not reported to the new one")
    }
}
