import FleetRuntime
import FuzzSupport
import PropertyBased
import Testing

/// Mutated health answers: parsing never crashes or hangs; it answers within the contract (a count
/// 0 or more) or fails with a reason that says it is the health answer at fault.
@Suite("Fuzzing health answers")
struct HealthAnswerFuzzTests {
    static let mutator = Mutator(
        seeds: [
            #"{"available_capacity": 7, "ready_to_close": false}"#, #"{"available_capacity": 10, "ready_to_close": true, "players": 0}"#,
            #"{"ready_to_close":true,"available_capacity":0}"#, #"{"available_capacity": 3.0, "ready_to_close": false, "extra": {"a": [1, 2, {"b": null}]}}"#,
        ].map { Array($0.utf8) },
        nesting: ["[", "{\"a\":", "{\"available_capacity\":"],
        dictionary: ["\"available_capacity\"", "\"ready_to_close\"", "true", "false", "null", "1e999", "-0.0", "\\u0000", "\\ud800"])

    @Test func noMutatedAnswerCrashesHangsOrFailsWithoutAReason() async {
        await Fuzz.run(Self.mutator, check: { HealthAnswer.parse($0.bytes) }) { input, result in
            switch result {
            case .answered(let capacity, _):
                #expect(capacity >= 0, "a negative capacity got through: \(input)")
            case .failed(let reason):
                #expect(reason.hasPrefix("health answer"), "an unclear reason '\(reason)' for \(input)")
            }
        }
    }
}
