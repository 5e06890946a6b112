import Foundation
import Testing
@testable import FleetCore

/// The leader's loan book and the follower's holding as pure values, at injected times.
@Suite("Loans: the leader's book and a follower's holding")
struct LoanBookTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let duration = Duration.seconds(3)

    static func lent(_ server: String, _ count: Int, current: Bool = true) -> LentSlots {
        LentSlots(server: server, address: HostPort(host: "10.0.0.\(server.count)", port: 7000 + count), count: count, current: current)
    }

    /// A book with one account for follower "b" holding `slots`, granted at t0.
    static func book(_ slots: [LentSlots]) -> (LoanBook, String) {
        var book = LoanBook()
        let account = book.account(for: LoanReport(follower: "b"), newID: "acct-1", at: t0, fallbackWindow: .seconds(1))
        book.grant(slots, on: account, target: 5, duration: duration, at: t0)
        return (book, "acct-1")
    }

    /// One report against a book holding a:3, c:2 for "b", at t0 + `after` seconds.
    struct SettleCase: Sendable, CustomTestStringConvertible {
        var name: String
        var report: LoanReport
        var after: Double
        /// Slots that become reservations (nil: none), and what stays outstanding.
        var settled: [String: Int]?
        var outstanding: [String: Int]
        var testDescription: String { name }
    }

    static let settleCases: [SettleCase] = [
        SettleCase(name: "used slots leave the loan as reservations at the report",
                   report: LoanReport(follower: "b", account: "acct-1", used: ["a": 2]), after: 1,
                   settled: ["a": 2], outstanding: ["a": 1, "c": 2]),
        SettleCase(name: "returned slots leave the loan freed, not reserved",
                   report: LoanReport(follower: "b", account: "acct-1", returned: ["c": 2]), after: 1,
                   settled: nil, outstanding: ["a": 3]),
        SettleCase(name: "used and returned together empty a server",
                   report: LoanReport(follower: "b", account: "acct-1", used: ["a": 1], returned: ["a": 2]), after: 1,
                   settled: ["a": 1], outstanding: ["c": 2]),
        SettleCase(name: "a report claiming more than was lent is clamped to the loan",
                   report: LoanReport(follower: "b", account: "acct-1", used: ["a": 9, "zz": 4]), after: 1,
                   settled: ["a": 3], outstanding: ["c": 2]),
        SettleCase(name: "a report naming no account ends the follower's account: all of it counts as used",
                   report: LoanReport(follower: "b", account: nil, used: ["a": 1]), after: 2,
                   settled: ["a": 3, "c": 2], outstanding: [:]),
        SettleCase(name: "a report naming another leader's account ends it the same way",
                   report: LoanReport(follower: "b", account: "acct-of-old-leader", returned: ["a": 3]), after: 2,
                   settled: ["a": 3, "c": 2], outstanding: [:]),
        SettleCase(name: "another follower's report settles nothing of b's",
                   report: LoanReport(follower: "c", account: "acct-1", used: ["a": 3]), after: 1,
                   settled: nil, outstanding: ["a": 3, "c": 2]),
    ]

    @Test("Settling a follower's report", arguments: settleCases)
    func settle(_ c: SettleCase) {
        var (book, _) = Self.book([Self.lent("a", 3), Self.lent("c", 2)])
        let at = Self.t0.addingTimeInterval(c.after)
        let settlement = book.settle(c.report, at: at)
        #expect(settlement?.used == c.settled)
        if settlement != nil { #expect(settlement?.at == at) }
        #expect(book.outstanding == c.outstanding)
    }

    /// Expiry at t0 + `after` seconds of a loan of 3 s granted at t0.
    struct ExpiryCase: Sendable, CustomTestStringConvertible {
        var after: Double
        var expired: Bool
        var testDescription: String { "\(after) s after the grant → \(expired ? "expired" : "outstanding")" }
    }

    static let expiryCases: [ExpiryCase] = [
        ExpiryCase(after: 0, expired: false), ExpiryCase(after: 2.999, expired: false),
        ExpiryCase(after: 3, expired: true), ExpiryCase(after: 60, expired: true),
    ]

    @Test("An account expires its duration after its last grant; what is outstanding counts as used at the expiry", arguments: expiryCases)
    func expiry(_ c: ExpiryCase) {
        var (book, _) = Self.book([Self.lent("a", 3)])
        let settled = book.expire(at: Self.t0.addingTimeInterval(c.after))
        if c.expired {
            #expect(settled == [LoanBook.Settlement(used: ["a": 3], at: Self.t0.addingTimeInterval(3))])
            #expect(book.outstanding.isEmpty)
            #expect(book.followers == 0)
        } else {
            #expect(settled.isEmpty)
            #expect(book.outstanding == ["a": 3])
        }
    }

    @Test("Reports carry totals: one repeated (its answer lost) settles nothing twice, a lost one is made up by the next")
    func totals() {
        var (book, _) = Self.book([Self.lent("a", 5)])
        let first = LoanReport(follower: "b", account: "acct-1", used: ["a": 2])
        #expect(book.settle(first, at: Self.t0.addingTimeInterval(1))?.used == ["a": 2])
        #expect(book.settle(first, at: Self.t0.addingTimeInterval(1.5)) == nil, "the same totals again: nothing new")
        #expect(book.outstanding == ["a": 3])
        // The report with a:3 was lost; the next says a:4 and gives one back.
        #expect(book.settle(LoanReport(follower: "b", account: "acct-1", used: ["a": 4], returned: ["a": 1]), at: Self.t0.addingTimeInterval(2))?.used == ["a": 2])
        #expect(book.outstanding.isEmpty)
    }

    @Test("A new grant on the same account adds slots and moves the whole holding's expiry")
    func topUp() {
        var (book, _) = Self.book([Self.lent("a", 3)])
        let later = Self.t0.addingTimeInterval(2)
        let account = book.account(for: LoanReport(follower: "b", account: "acct-1"), newID: "unused", at: later, fallbackWindow: .seconds(1))
        #expect(account.id == "acct-1")
        book.grant([Self.lent("a", 1), Self.lent("c", 2)], on: account, target: 6, duration: Self.duration, at: later)
        #expect(book.outstanding == ["a": 4, "c": 2])
        #expect(book.expire(at: Self.t0.addingTimeInterval(4)).isEmpty, "the top-up at 2 s holds the whole account to 5 s")
        #expect(book.latestExpiry == Self.t0.addingTimeInterval(5))
    }

    @Test("The rate follows the follower's reports: used and forwarded over the time between requests")
    func rate() {
        var (book, _) = Self.book([Self.lent("a", 50)])
        _ = book.settle(LoanReport(follower: "b", account: "acct-1", used: ["a": 30], forwarded: 10), at: Self.t0.addingTimeInterval(2))
        #expect(book.accounts["b"]?.rate == 20)
        _ = book.settle(LoanReport(follower: "b", account: "acct-1"), at: Self.t0.addingTimeInterval(4))
        #expect(book.accounts["b"]?.rate == 10, "a lull halves the rate, it does not drop it")
    }

    /// Loan sizing from a rate.
    struct SizingCase: Sendable, CustomTestStringConvertible {
        var name: String
        var rate: Double
        var seconds: Double
        var target: Int
        var testDescription: String { name }
    }

    static let sizingCases: [SizingCase] = [
        SizingCase(name: "no demand: the minimum", rate: 0, seconds: 3, target: LoanSizing.minimum),
        SizingCase(name: "a non-finite rate: the minimum", rate: .nan, seconds: 3, target: LoanSizing.minimum),
        SizingCase(name: "a slow follower still gets the minimum", rate: 0.1, seconds: 3, target: LoanSizing.minimum),
        SizingCase(name: "a whole loan's life at the rate, rounded up", rate: 100.5, seconds: 3, target: 302),
        SizingCase(name: "30,000 a second for 600 ms", rate: 30_000, seconds: 0.6, target: 18_000),
    ]

    @Test("Sizing a holding from a follower's rate", arguments: sizingCases)
    func sizing(_ c: SizingCase) {
        #expect(LoanSizing.target(rate: c.rate, duration: .milliseconds(Int64(c.seconds * 1000))) == c.target)
    }

    @Test("A follower's share of the free slots: an equal part among the followers and the leader")
    func share() {
        #expect(LoanSizing.share(free: 8, followers: 1) == 4)
        #expect(LoanSizing.share(free: 9, followers: 2) == 3)
        #expect(LoanSizing.share(free: 1, followers: 1) == 0, "the last slot stays with the leader")
        #expect(LoanSizing.share(free: -3, followers: 1) == 0)
    }
}
