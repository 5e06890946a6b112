import Foundation
import Testing
import Timestamps

@Suite("RFC 3339 timestamps (AWS answers, times people type)")
struct RFC3339TimeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var epoch: Double?
        var testDescription: String { text }
    }

    static let cases: [Case] = [
        .init(text: "1970-01-01T00:00:00Z", epoch: 0),
        .init(text: "2024-03-15T09:30:45Z", epoch: 1_710_495_045),
        .init(text: "2024-03-15T09:30:45.000Z", epoch: 1_710_495_045),
        .init(text: "2024-03-15T09:30:45.250Z", epoch: 1_710_495_045.25),
        .init(text: "2024-03-15T11:30:45+02:00", epoch: 1_710_495_045),
        .init(text: "2024-02-29T00:00:00Z", epoch: 1_709_164_800),
        .init(text: "1969-12-31T23:59:59Z", epoch: -1),
        .init(text: "2023-02-29T00:00:00Z", epoch: nil),
        .init(text: "2024-13-01T00:00:00Z", epoch: nil),
        .init(text: "2024-03-15T09:30:45", epoch: nil),
        .init(text: "2024-03-15T09:30:45.Z", epoch: nil),
        .init(text: "2024-03-15T24:00:00Z", epoch: nil),
        .init(text: "20240315T093045Z", epoch: nil),
        .init(text: "2024-03-15T09:30:45Zjunk", epoch: nil),
        .init(text: "9999-99-99T99:99:99.9999999999999999Z", epoch: nil),
        .init(text: "", epoch: nil),
    ]

    @Test(arguments: cases)
    func reads(_ c: Case) {
        let date = RFC3339Time.date(from: c.text)
        #expect(date.map { abs($0.timeIntervalSince1970 - (c.epoch ?? .nan)) < 0.001 } ?? (c.epoch == nil), "\(c.text) → \(String(describing: date?.timeIntervalSince1970))")
    }
}
