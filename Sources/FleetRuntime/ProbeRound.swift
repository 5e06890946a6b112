import FleetCore
import Synchronization

/// One pass's health probes: every target probed, at most `concurrency` at once, and the round as a
/// whole bounded by a deadline so no server, however it misbehaves, can hold the pass.
///
/// Each probe is bounded by the health timeout already; the round's deadline is the second line for
/// a prober that overstays it. A probe that has not finished (or not started) by the deadline counts
/// as a failed probe and its server is named in ``Outcome/held``.
public struct ProbeRound: Sendable {
    /// One server to probe.
    public struct Target: Sendable, Equatable {
        public var id: String
        public var host: String
        public var port: Int

        public init(id: String, host: String, port: Int) {
            self.id = id
            self.host = host
            self.port = port
        }
    }

    /// What the round found.
    public struct Outcome: Sendable {
        /// One result per target, in no particular order; held targets carry a failure.
        public var results: [(id: String, result: ProbeResult)]
        /// Targets whose probe did not finish by the deadline, in target order.
        public var held: [Target]
    }

    public var prober: any HealthProber
    public var path: String
    /// Bound of one probe.
    public var timeout: Duration
    /// Most probes in flight at once; at least 1.
    public var concurrency: Int
    public var clock: any Clock<Duration>

    public init(prober: any HealthProber, path: String, timeout: Duration, concurrency: Int, clock: any Clock<Duration>) {
        self.prober = prober
        self.path = path
        self.timeout = timeout
        self.concurrency = max(1, concurrency)
        self.clock = clock
    }

    /// Slack beyond the probes' own timeouts before the round gives up on them: scheduling on a busy
    /// machine, not server behaviour, is what it covers.
    public static let margin: Duration = .seconds(1)

    /// The round's bound for `count` targets: one timeout per wave of `concurrency` probes, plus
    /// ``margin``. Zero targets need no time.
    public func deadline(for count: Int) -> Duration {
        guard count > 0 else { return .zero }
        let waves = (count + concurrency - 1) / concurrency
        return timeout * waves + Self.margin
    }

    /// Probes every target; returns by ``deadline(for:)`` whatever the servers do.
    public func run(_ targets: [Target]) async -> Outcome {
        guard !targets.isEmpty else { return Outcome(results: [], held: []) }
        let finished = FinishedProbes()
        let (prober, path, timeout, concurrency) = (self.prober, self.path, self.timeout, self.concurrency)
        _ = await withDeadline(deadline(for: targets.count), clock: clock) {
            await withTaskGroup(of: Void.self) { group in
                var next = 0
                func start() {
                    let target = targets[next]
                    next += 1
                    group.addTask {
                        let result = await prober.probe(host: target.host, port: target.port, path: path, timeout: timeout)
                        finished.add(target.id, result)
                    }
                }
                while next < targets.count && next < concurrency { start() }
                while await group.next() != nil {
                    if next < targets.count && !Task.isCancelled { start() }
                }
            }
        }
        let results = finished.all
        let held = targets.filter { results[$0.id] == nil }
        let late = ProbeResult.failed("probe did not finish within the pass's probe deadline of \(DurationText.format(deadline(for: targets.count)))")
        return Outcome(
            results: results.map { (id: $0.key, result: $0.value) } + held.map { (id: $0.id, result: late) },
            held: held)
    }
}

/// Results of a round's probes as they finish, read once the round is over.
final class FinishedProbes: Sendable {
    private let results = Mutex<[String: ProbeResult]>([:])

    func add(_ id: String, _ result: ProbeResult) {
        results.withLock { $0[id] = result }
    }

    var all: [String: ProbeResult] { results.withLock { $0 } }
}
