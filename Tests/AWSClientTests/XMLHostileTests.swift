import FuzzSupport
import Testing
@testable import AWSClient

/// What the fuzzing found in the XML reader: skipping a comment allocated an array per byte, so a
/// 50 MB unterminated comment took about 30 s to refuse in a debug build on a loaded machine. A
/// liveness check with the fuzz deadline, generous next to the fraction of a second it takes now.
@Suite("XML reader under hostile documents")
struct XMLHostileTests {
    @Test func aHugeUnterminatedCommentIsRefusedPromptly() async {
        let document = Array(("<a>" + String(repeating: "<!--", count: 12_500_000)).utf8)  // 50 MB
        let error = await Fuzz.within(deadline: Fuzz.deadline) { () -> String in
            do { _ = try XMLTree.parse(document); return "parsed" } catch { return "\(error)" }
        }
        #expect(error == "XML error at byte 50000003: unterminated comment")
    }
}
