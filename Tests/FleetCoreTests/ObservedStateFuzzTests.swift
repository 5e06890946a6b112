import Foundation
import FuzzSupport
import PropertyBased
import Testing
@testable import FleetCore

/// Mutated copies of the shipped observed-state files (`plan --observed`): decoding never crashes
/// or hangs and refuses with a DecodingError (which `gamefleet plan` prints with its JSON path);
/// whatever decodes is planned, rendered and folded a failed probe into without trapping.
@Suite("Fuzzing observed-state files")
struct ObservedStateFuzzTests {
    static let mutator = Mutator(
        seeds: Fuzz.seeds(["examples/observed/quiet-night.json", "examples/observed/rolling-update.json",
                           "examples/observed/rush.json", "examples/observed/steady.json"]),
        nesting: ["[", "{\"a\":", "[{\"servers\":"],
        dictionary: ["\"availableCapacity\": ", "\"consecutiveFailures\": ", "\"lastSuccessAt\": ", "\"launchedAt\": ",
                     "\"readyToClose\": ", "\"lifecycle\": \"pending\"", "\"standby\": true", "\"address\": ",
                     "\"9999-12-31T23:59:59Z\"", "\"0001-01-01T00:00:00Z\"", "\"+275760-09-13T00:00:00Z\"", "\"1970-01-01T00:00:00.5Z\"",
                     "null", "true", "\\u0000", "\\ud800", "\"[::1]:7000\"", "\"host:0\"", "\"a:99999999999\""])

    /// What one case came to: refused with this error text, or a list of broken promises.
    enum Outcome: Sendable {
        case accepted(problems: [String])
        case refused(isDecodingError: Bool, text: String)
    }

    static func check(_ bytes: [UInt8]) -> Outcome {
        let state: ObservedState
        do {
            state = try ObservedState.decode(Data(bytes))
        } catch {
            return .refused(isDecodingError: error is DecodingError, text: "\(error)")
        }
        var problems: [String] = []
        let spec = FleetCoreTests.spec(capacity: 10, upscale: 4, downscale: 18, max: 50)
        for now in [Date(timeIntervalSince1970: 1_800_000_000), Date(timeIntervalSince1970: 1e12), Date(timeIntervalSince1970: -1e12)] {
            let plan = Planner.plan(spec: spec, observed: state, now: now)
            if plan.actions.filter({ $0.kind == .launch }).count > spec.scaling.maxLaunchesPerPass {
                problems.append("launched past maxLaunchesPerPass")
            }
            _ = PlanTextRenderer.render(plan, fleet: spec.name)
            if (try? plan.jsonData()) == nil { problems.append("the plan does not encode") }
        }
        // The serve loop folds probe results into records it may have read back: one more failure.
        var folded = state
        for i in folded.servers.indices { folded.servers[i].health.recordFailure() }
        _ = Planner.plan(spec: spec, observed: folded, now: Date(timeIntervalSince1970: 1_800_000_000))
        if (try? state.encoded()) == nil { problems.append("a decoded state does not encode again") }
        return .accepted(problems: problems)
    }

    @Test func noMutatedFileCrashesHangsOrIsRefusedUnclearly() async {
        await Fuzz.run(Self.mutator, check: { Self.check($0.bytes) }) { input, outcome in
            switch outcome {
            case .accepted(let problems):
                #expect(problems.isEmpty, "\(problems) from \(input)")
            case .refused(let isDecodingError, let text):
                #expect(isDecodingError, "refused with something other than a DecodingError (\(text)) from \(input)")
            }
        }
    }
}
