import Foundation
import Testing
@testable import FleetCore

/// The allocation books between passes: a slot handed out stays taken until a newer probe counts it,
/// lent slots are off the index until used, given back or expired.
@Suite("Allocation book")
struct AllocationBookTests {
    static func probed(_ id: String, free: Int, at seconds: Double) -> ObservedServer {
        var s = server(id, free: free)
        s.health.lastSuccessAt = now.addingTimeInterval(seconds)
        return s
    }

    @Test("A reservation holds its slot until a probe newer than it; an older probe keeps it")
    func reservationsUntilANewerProbe() {
        var book = AllocationBook(spec: spec(capacity: 10))
        book.publish([Self.probed("a", free: 2, at: -5)], lent: [:])
        #expect(book.room == 2)
        #expect(book.allocate(at: now) == .server(id: "a", address: book.servers[0].address!))
        #expect(book.reservedSlots() == ["a": 1])
        // A pass whose probe of a is older than the hand-out: the slot stays taken.
        book.publish([Self.probed("a", free: 2, at: -1)], lent: [:])
        #expect(book.room == 1)
        #expect(book.unconfirmed(against: [Self.probed("a", free: 1, at: -1)]) == ["a": [now]])
        // A probe after the hand-out counts the player itself: the reservation goes.
        book.publish([Self.probed("a", free: 1, at: 1)], lent: [:])
        #expect(book.reservedSlots().isEmpty)
        #expect(book.room == 1)
    }

    @Test("Lent slots are off the index; used ones become reservations; given back ones are free again")
    func lentSlots() {
        var book = AllocationBook(spec: spec(capacity: 10))
        book.publish([Self.probed("a", free: 4, at: -5)], lent: [:])
        #expect(book.takeForLoan() == 0)
        #expect(book.takeForLoan() == 0)
        book.relend(["a": 2])
        #expect(book.room == 2)
        book.reserve(["a": 1], at: now)
        book.relend(["a": 0])
        #expect(book.room == 3, "one used (reserved), one given back (free)")
        #expect(book.reserved(at: 0) == 1)
        // A reload keeps what is lent off the index.
        book.adopt(spec(capacity: 10, strategy: .spread), lent: ["a": 3])
        #expect(book.room == 0)
    }

    @Test("A full fleet answers the backup, and nothing is reserved")
    func fullFleet() {
        var book = AllocationBook(spec: spec(capacity: 10, backup: HostPort(host: "10.0.0.9", port: 8888)))
        book.publish([Self.probed("a", free: 0, at: -5)], lent: [:])
        #expect(book.allocate(at: now) == .backup(HostPort(host: "10.0.0.9", port: 8888)))
        #expect(book.reservedSlots().isEmpty)
        #expect(book.takeForLoan() == nil)
    }
}
