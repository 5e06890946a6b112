import Dispatch
import FleetCore
import Synchronization

/// `gamefleet simulate`: runs the real planner and allocator against a simulated fleet and a trace.
///
/// Pure in the sense that matters: no clock, no I/O, no system randomness. The same spec, trace and
/// settings give the same result, byte for byte, on any machine and however the work is scheduled.
public enum Simulation {
    /// One run under one set of rules. The trace must have a session length (``Trace/session``); the
    /// command line fills it in from `--session-mean` when the file has none.
    public static func run(
        spec: FleetSpec, trace: Trace, settings: SimulationSettings, rules: ScalingRules = .gamefleet
    ) -> SimulationRun {
        guard let session = trace.session else {
            preconditionFailure("trace \(trace.name) has no session length; set Trace.session before simulating")
        }
        var simulator = FleetSimulator(spec: spec, trace: trace, session: session, settings: settings, rules: rules)
        let result = simulator.run()
        return SimulationRun(
            outcome: result.outcome, lowerBoundServerHours: result.lowerBoundServerHours,
            peakPlayers: result.peakDemand, timeline: simulator.timeline, backupByMinute: simulator.backupByMinute,
            allocationMismatches: settings.verifyAllocations ? simulator.allocation.mismatches : nil,
            fleetSizes: simulator.fleetSizes, lowerBoundFleetSizes: simulator.lowerBoundFleetSizes)
    }

    /// The full report: gamefleet's rules under fleet.yaml's `scaling.policy` and under the other
    /// policy (same knobs otherwise), and the old app's rules, on the same trace and seed, beside the
    /// lower bound. The runs go on separate threads; the result does not depend on which ends first.
    /// The timeline is gamefleet's under fleet.yaml's policy.
    public static func report(spec: FleetSpec, trace: Trace, settings: SimulationSettings) -> (report: SimulationReport, timeline: Timeline) {
        var other = spec
        other.scaling.policy = spec.scaling.policy == .margin ? .demand : .margin
        let specs = [spec, other, spec]
        let rules: [ScalingRules] = [.gamefleet, .gamefleet, .oldApp]
        let runs = runConcurrently(Array(0..<3)) { index in
            run(spec: specs[index], trace: trace, settings: settings, rules: rules[index])
        }
        let report = SimulationReport(spec: spec, trace: trace, settings: settings, gamefleet: runs[0], otherPolicy: runs[1], oldRules: runs[2])
        return (report, runs[0].timeline)
    }

    /// Runs `work` on every input across the machine's cores and returns the results in input order.
    /// `progress` is called (from any thread) with the number finished so far.
    static func runConcurrently<Input: Sendable, Output: Sendable>(
        _ inputs: [Input], progress: (@Sendable (Int) -> Void)? = nil,
        _ work: @Sendable (Input) -> Output
    ) -> [Output] {
        let results = Mutex<[Output?]>(Array(repeating: nil, count: inputs.count))
        let done = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
            let output = work(inputs[index])
            results.withLock { $0[index] = output }
            let finished = done.add(1, ordering: .relaxed).newValue
            progress?(finished)
        }
        return results.withLock { $0.map { $0! } }
    }
}

/// What one run produced.
public struct SimulationRun: Sendable, Equatable {
    /// What the fleet did.
    public var outcome: FleetOutcome
    /// Server-hours a fleet with perfect foresight and instant launches would need: at every instant
    /// `max(minServers, ⌈players in a game ÷ capacity⌉)` servers. Depends on the trace, the seed and
    /// the capacity only, not on the rules.
    public var lowerBoundServerHours: Double
    /// Most players in a game at once (on the fleet or the backup).
    public var peakPlayers: Int
    /// The run over time, for the chart.
    public var timeline: Timeline
    /// Players sent to the backup in each minute of the trace.
    public var backupByMinute: [Int] = []
    /// With ``SimulationSettings/verifyAllocations``: allocations that differed from the direct call
    /// `serve` makes (must be 0); nil when not checked.
    public var allocationMismatches: Int?
    /// Time at each fleet size from minute 0 on, for money (``FleetPrice/total(_:)``).
    public var fleetSizes = FleetSizeTime()
    /// The same for the lower bound's fleet.
    public var lowerBoundFleetSizes = FleetSizeTime()
}
