import Dispatch
import Foundation
import PropertyBased
import Synchronization
import Testing

/// What every fuzz test shares: how many cases to run, the generator of mutated inputs, and a
/// deadline per case so a hang fails the test (naming the input) instead of stalling the suite.
public enum Fuzz {
    /// Cases per parser: `GAMEFLEET_FUZZ_CASES` when set (the long run, e.g. 1000000), else 10,000.
    public static var cases: Int {
        ProcessInfo.processInfo.environment["GAMEFLEET_FUZZ_CASES"].flatMap(Int.init).map { max($0, 1) } ?? 10_000
    }

    /// How long one case may take before it counts as a hang. Generous: the suite runs on two
    /// loaded cores in a debug build, and a real hang (a loop of 2^63 iterations) never ends at all.
    public static let deadline: Duration = .seconds(60)

    /// Cases handed to one property-check call and one worker thread: batching keeps the per-case
    /// cost (the check's bookkeeping, a thread) off the parser's own, so the default run stays short.
    public static let batchSize = 20

    /// Fuzzes a parser: ``cases`` mutated inputs from `mutator`, each run through `check` on a worker
    /// thread (so a hang fails the case that hung, naming its input, instead of stalling the suite),
    /// then judged by `verify`, which records issues for broken promises.
    public static func run<Outcome: Sendable>(
        _ mutator: Mutator, sourceLocation: SourceLocation = #_sourceLocation,
        check: @escaping @Sendable (FuzzInput) -> Outcome, verify: (FuzzInput, Outcome) -> Void
    ) async {
        await propertyCheck(count: (cases + batchSize - 1) / batchSize, input: batches(mutator), perform: { batch in
            let progress = Mutex(0)
            let outcomes = await within(label: "") { () -> [Outcome] in
                batch.enumerated().map { index, input in
                    progress.withLock { $0 = index }
                    return timed(input) { check(input) }
                }
            }
            guard let outcomes else {
                Issue.record("no answer within \(deadline): \(batch[progress.withLock { $0 }])", sourceLocation: sourceLocation)
                return
            }
            for (input, outcome) in zip(batch, outcomes) { verify(input, outcome) }
        }, sourceLocation: sourceLocation)
    }

    /// ``run(_:sourceLocation:check:verify:)`` for a parser reached through async code (a client, a router).
    public static func runAsync<Outcome: Sendable>(
        _ mutator: Mutator, sourceLocation: SourceLocation = #_sourceLocation,
        check: @escaping @Sendable (FuzzInput) async -> Outcome, verify: (FuzzInput, Outcome) -> Void
    ) async {
        await propertyCheck(count: (cases + batchSize - 1) / batchSize, input: batches(mutator), perform: { batch in
            let progress = Mutex(0)
            let outcomes = await withinAsync(label: "") { () -> [Outcome] in
                var outcomes: [Outcome] = []
                for (index, input) in batch.enumerated() {
                    progress.withLock { $0 = index }
                    let start = ContinuousClock.now
                    outcomes.append(await check(input))
                    noteSlow(ContinuousClock.now - start, "\(input.steps)")
                }
                return outcomes
            }
            guard let outcomes else {
                Issue.record("no answer within \(deadline): \(batch[progress.withLock { $0 }])", sourceLocation: sourceLocation)
                return
            }
            for (input, outcome) in zip(batch, outcomes) { verify(input, outcome) }
        }, sourceLocation: sourceLocation)
    }

    static func timed<T>(_ input: FuzzInput, _ body: () -> T) -> T {
        let start = ContinuousClock.now
        let value = body()
        noteSlow(ContinuousClock.now - start, "\(input.steps)")
        return value
    }

    /// Batches of ``batchSize`` mutated inputs.
    static func batches(_ mutator: Mutator) -> Generator<[FuzzInput], Shrink.None<[FuzzInput]>> {
        Generator { rng in (0..<batchSize).map { _ in mutator.mutate(using: &rng) } }
    }

    /// Mutated inputs drawn from `mutator`, for `propertyCheck`.
    public static func inputs(_ mutator: Mutator) -> Generator<FuzzInput, Shrink.None<FuzzInput>> {
        Generator { rng in mutator.mutate(using: &rng) }
    }

    /// Runs `body` on a thread of its own and returns its result, or nil when it has not finished
    /// within `deadline`. A body stuck in a loop is left behind on that thread rather than freezing
    /// the run (or the test's cooperative pool); the caller then fails the case. `label` names the
    /// case in the slow-case report.
    public static func within<T: Sendable>(deadline: Duration = Fuzz.deadline, label: String = "", _ body: @escaping @Sendable () -> T) async -> T? {
        await FuzzGate.shared.enter()
        defer { FuzzGate.shared.leave() }
        return await waitFor(deadline: deadline) { finish in
            Thread.detachNewThread {
                let start = ContinuousClock.now
                let value = body()
                if !label.isEmpty { Fuzz.noteSlow(ContinuousClock.now - start, label) }
                finish(value)
            }
        }
    }

    /// ``within(deadline:label:_:)`` for an async body, run as a task of its own.
    public static func withinAsync<T: Sendable>(deadline: Duration = Fuzz.deadline, label: String = "", _ body: @escaping @Sendable () async -> T) async -> T? {
        await FuzzGate.shared.enter()
        defer { FuzzGate.shared.leave() }
        return await waitFor(deadline: deadline) { finish in
            Task.detached {
                let start = ContinuousClock.now
                let value = await body()
                if !label.isEmpty { Fuzz.noteSlow(ContinuousClock.now - start, label) }
                finish(value)
            }
        }
    }

    /// Starts the work with a `finish` callback, and waits on a thread of its own (a semaphore with a
    /// timeout, no timer left pending per case) for `finish` or the deadline, whichever comes first.
    static func waitFor<T: Sendable>(deadline: Duration, _ start: (@escaping @Sendable (T) -> Void) -> Void) async -> T? {
        let result = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        start { value in
            result.set(value)
            done.signal()
        }
        return await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            Thread.detachNewThread {
                let finished = done.wait(timeout: .now() + .milliseconds(Int(deadline.milliseconds))) == .success
                continuation.resume(returning: finished ? result.get() : nil)
            }
        }
    }

    /// With `GAMEFLEET_FUZZ_SLOW=1`, prints the time of every case over a second (to find what makes a
    /// run slow; a figure, not a test).
    static func noteSlow(_ elapsed: Duration, _ label: String) {
        guard elapsed > .seconds(1), ProcessInfo.processInfo.environment["GAMEFLEET_FUZZ_SLOW"] != nil else { return }
        print("fuzz: a case took \(elapsed): \(label)")
    }

    /// The repository's root, from this file's path (Tests/FuzzSupport/Fuzz.swift).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The bytes of files in the repository, by path from its root. Fails loudly: a seed that is
    /// missing would make the fuzzing weaker without anyone noticing.
    public static func seeds(_ paths: [String]) -> [[UInt8]] {
        paths.map { path in
            guard let data = FileManager.default.contents(atPath: repositoryRoot.appendingPathComponent(path).path) else {
                fatalError("fuzz seed \(path) is missing")
            }
            return Array(data)
        }
    }
}

/// The value a case's work produced, handed from its thread to the waiting one.
final class ResultBox<T: Sendable>: Sendable {
    private let value = Mutex<T?>(nil)
    func set(_ newValue: T) { value.withLock { $0 = newValue } }
    func get() -> T? { value.withLock { $0 } }
}

extension Duration {
    /// Whole milliseconds (fuzz deadlines are seconds long; no overflow here).
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}

/// One fuzz batch at a time in the whole test process.
///
/// Each batch runs on a thread of its own and keeps a core busy for as long as it runs. Seven fuzz
/// suites started together used to take every core of a two-core machine from the rest of the suite,
/// whose timers and sockets then ran seconds late. Batches now take turns: fuzzing uses at most one
/// core, and a batch's deadline counts from its turn, not from when it started waiting for one.
final class FuzzGate: Sendable {
    static let shared = FuzzGate()

    private struct State {
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Waits for the turn (suspended, holding no thread).
    func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.busy {
                    state.waiting.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if now { continuation.resume() }
        }
    }

    /// Hands the turn to the next batch in line, or frees it.
    func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
