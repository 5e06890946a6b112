import FleetRuntime
import Testing

struct AnswerCase: Sendable, CustomTestStringConvertible {
    let body: String
    let expected: ProbeResult
    var testDescription: String { body.count > 60 ? String(body.prefix(60)) + "…" : body }
}

@Suite("Health answer contract")
struct HealthAnswerTests {
    static let cases: [AnswerCase] = [
        .init(body: #"{"available_capacity": 7, "ready_to_close": false}"#, expected: .answered(availableCapacity: 7, readyToClose: false)),
        .init(body: #"{"available_capacity": 10, "ready_to_close": true, "players": 0}"#, expected: .answered(availableCapacity: 10, readyToClose: true)),
        .init(body: #"{"ready_to_close": true}"#, expected: .failed("health answer has no available_capacity")),
        .init(body: #"{"available_capacity": 3}"#, expected: .failed("health answer has no ready_to_close")),
        .init(body: #"{"available_capacity": "3", "ready_to_close": false}"#, expected: .failed("health answer's available_capacity has the wrong type (want a whole number)")),
        .init(body: #"{"available_capacity": 2.5, "ready_to_close": false}"#, expected: .failed("health answer's available_capacity has the wrong type (want a whole number)")),
        .init(body: #"{"available_capacity": 3, "ready_to_close": 1}"#, expected: .failed("health answer's ready_to_close has the wrong type (want true or false)")),
        .init(body: #"{"available_capacity": -4, "ready_to_close": false}"#, expected: .failed("health answer reports negative available_capacity -4")),
        .init(body: "<html>502 Bad Gateway</html>", expected: .failed("health answer is not a JSON object")),
        .init(body: "[1, 2]", expected: .failed("health answer is not a JSON object")),
        .init(body: "", expected: .failed("health answer is not a JSON object")),
        .init(body: #"{"available_capacity": 1, "ready_to_close": false, "pad": ""# + String(repeating: "x", count: 5000) + #""}"#,
              expected: .failed("health answer larger than 4096 bytes")),
    ]

    @Test(arguments: cases)
    func parses(_ c: AnswerCase) {
        #expect(HealthAnswer.parse(Array(c.body.utf8)) == c.expected)
    }
}
