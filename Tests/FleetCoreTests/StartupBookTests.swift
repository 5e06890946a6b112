import FleetCore

import Foundation
import Testing

/// The instant the book starts measuring.
private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

@Suite("Startup book")
struct StartupBookTests {
    /// A server launched `launched` seconds after t0, first answering at `answered` (nil: not yet).
    static func server(_ id: String, launched: TimeInterval, answered: TimeInterval?) -> ObservedServer {
        ObservedServer(id: id, address: HostPort(host: "127.0.0.1", port: 7000), taskDefinition: "gs",
                       launchedAt: t0.addingTimeInterval(launched),
                       health: HealthRecord(availableCapacity: answered == nil ? nil : 10, readyToClose: answered == nil ? nil : true,
                                            lastSuccessAt: answered.map { t0.addingTimeInterval($0) }))
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// The servers of each pass, in order.
        var passes: [[ObservedServer]]
        var samples: [Double]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "nothing answered yet", passes: [[server("a", launched: 0, answered: nil)]], samples: []),
        Case(name: "one launch measured when it first answers",
             passes: [[server("a", launched: 0, answered: nil)], [server("a", launched: 0, answered: 42)]], samples: [42]),
        Case(name: "a server counts once however many good probes follow",
             passes: [[server("a", launched: 0, answered: 20)], [server("a", launched: 0, answered: 30)], [server("a", launched: 0, answered: 40)]],
             samples: [20]),
        Case(name: "a server launched before the process started is not measured",
             passes: [[server("old", launched: -600, answered: 1), server("new", launched: 5, answered: 25)]], samples: [20]),
        Case(name: "a first probe stamped before the launch counts as 0, not negative",
             passes: [[server("a", launched: 10, answered: 9)]], samples: [0]),
        Case(name: "samples in the order servers first answered",
             passes: [[server("a", launched: 0, answered: 50), server("b", launched: 0, answered: nil)],
                      [server("a", launched: 0, answered: 50), server("b", launched: 0, answered: 70)]], samples: [50, 70]),
        Case(name: "only the last 50 are kept",
             passes: [(0..<60).map { server("s\($0)", launched: 0, answered: Double($0)) }], samples: (10..<60).map(Double.init)),
    ]

    @Test(arguments: cases)
    func samples(_ c: Case) {
        var book = StartupBook(since: t0)
        for pass in c.passes { book.note(pass) }
        #expect(book.samples == c.samples)
        #expect(book.statistic == StartupStatistic(durations: c.samples))
    }

    /// A server that leaves and whose id comes back (a new process on the same port in the local
    /// provider) is measured again: it is a new launch.
    @Test func aServerGoneIsForgotten() {
        var book = StartupBook(since: t0)
        book.note([Self.server("local-7001", launched: 0, answered: 10)])
        book.note([])
        book.note([Self.server("local-7001", launched: 100, answered: 130)])
        #expect(book.samples == [10, 30])
    }
}
