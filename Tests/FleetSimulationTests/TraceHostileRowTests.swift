import FuzzSupport
import Testing
@testable import FleetSimulation

/// What the fuzzing found in the trace reader: a row's field columns were counted from the line's
/// start for every field, so a row of many commas cost the square of its length. A liveness check
/// with a generous deadline.
@Suite("Trace rows under hostile input")
struct TraceHostileRowTests {
    @Test func aRowOfManyCommasIsRefusedPromptly() async {
        let text = "minute,arrivals\n0," + String(repeating: ",", count: 300_000) + "\n"
        let error = await Fuzz.within(deadline: .seconds(60)) { () -> String in
            do { _ = try Trace.parse(text, file: "t.csv"); return "parsed" } catch { return "\(error)" }
        }
        #expect(error == "t.csv:2:4: expected 2 fields (minute,arrivals), got 3")
    }
}
