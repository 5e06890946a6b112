import AWSSigV4
import Foundation
import Testing

@Suite("Signing time")
struct SigningTimeTests {
    struct TimeCase: CustomTestStringConvertible, Sendable {
        let name: String
        let secondsSince1970: Double
        let amzDate: String
        var testDescription: String { name }
    }

    static let cases: [TimeCase] = [
        .init(name: "Unix epoch", secondsSince1970: 0, amzDate: "19700101T000000Z"),
        .init(name: "suite timestamp", secondsSince1970: 1_440_938_160, amzDate: "20150830T123600Z"),
        .init(name: "last second of a century year", secondsSince1970: 946_684_799, amzDate: "19991231T235959Z"),
        .init(name: "leap day, fraction dropped not rounded", secondsSince1970: 1_709_251_199.999, amzDate: "20240229T235959Z"),
        .init(name: "2100 is not a leap year", secondsSince1970: 4_102_444_800, amzDate: "21000101T000000Z"),
    ]

    @Test("X-Amz-Date and date stamp in UTC", arguments: cases)
    func formats(_ testCase: TimeCase) {
        let time = SigningTime(Date(timeIntervalSince1970: testCase.secondsSince1970))
        #expect(time.amzDate == testCase.amzDate)
        #expect(time.dateStamp == String(testCase.amzDate.prefix(8)))
    }
}
