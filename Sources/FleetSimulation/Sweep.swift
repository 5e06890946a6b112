import FleetCore

/// `gamefleet simulate --sweep`: the same trace under every combination of some settings, to find
/// the ones that cost least for the backup share they accept.
public enum Sweep {
    /// The combinations of `axes` (the first axis varies slowest), with fleet.yaml's other settings
    /// from `spec`. Combinations that fleet.yaml's rules would refuse are left out and counted.
    public static func combinations(of axes: [SweepAxis], base spec: FleetSpec) -> (valid: [[Int]], skipped: [String: Int]) {
        var valid: [[Int]] = []
        var skipped: [String: Int] = [:]
        var combination: [Int] = []
        func walk(_ depth: Int) {
            if depth == axes.count {
                if let rule = brokenRule(apply(combination, axes, to: spec)) {
                    skipped[rule, default: 0] += 1
                } else {
                    valid.append(combination)
                }
                return
            }
            for value in axes[depth].values {
                combination.append(value)
                walk(depth + 1)
                combination.removeLast()
            }
        }
        walk(0)
        return (valid, skipped)
    }

    /// Runs every valid combination with gamefleet's rules, over all cores, plus fleet.yaml's own
    /// settings under gamefleet's and the old rules for comparison. `progress` gets (finished, total)
    /// from any thread. The result is sorted by the settings' values and does not depend on the order
    /// in which runs finish.
    public static func run(
        spec: FleetSpec, trace: Trace, settings: SimulationSettings, axes: [SweepAxis],
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> SweepResult {
        let (valid, skipped) = combinations(of: axes, base: spec)
        enum Job: Sendable { case cell([Int]), base(ScalingRules) }
        let jobs = valid.map(Job.cell) + [.base(.gamefleet), .base(.oldApp)]
        let total = jobs.count
        // A sweep draws no charts.
        let quiet = { var quiet = settings; quiet.timelineBuckets = 1; return quiet }()
        let finished: (@Sendable (Int) -> Void)? = progress.map { report in { @Sendable done in report(done, total) } }
        let work: @Sendable (Job) -> SimulationRun = { job in
            switch job {
            case .cell(let values):
                return Simulation.run(spec: apply(values, axes, to: spec), trace: trace, settings: quiet, rules: .gamefleet)
            case .base(let rules):
                return Simulation.run(spec: spec, trace: trace, settings: quiet, rules: rules)
            }
        }
        let runs = Simulation.runConcurrently(jobs, progress: finished, work)
        // Every cell is priced as fleet.yaml's cost says: the sweep's settings change how many
        // servers run, not what one costs.
        let price = FleetPrice(spec: spec)
        let money = { (run: SimulationRun) in price?.spent(run.fleetSizes, minutes: trace.minutes) }
        var cells = zip(valid, runs).map { values, run in
            SweepResult.Cell(values: values, outcome: run.outcome, lowerBoundServerHours: run.lowerBoundServerHours, money: money(run))
        }
        for index in ParetoFront.indices(of: cells.map { ($0.outcome.serverHours, $0.outcome.playersSentToBackup) }) {
            cells[index].onParetoFront = true
        }
        let baseRun = runs[runs.count - 2]
        return SweepResult(
            trace: trace.name, traceMinutes: trace.minutes, arrivals: trace.totalArrivals, seed: settings.seed,
            parameters: axes.map(\.parameter), cells: cells, skipped: skipped,
            base: SweepResult.Cell(values: axes.map { $0.parameter.value(in: spec) }, outcome: baseRun.outcome,
                                   lowerBoundServerHours: baseRun.lowerBoundServerHours, money: money(baseRun)),
            baseOldRules: runs[runs.count - 1].outcome, currency: spec.cost?.currency,
            baseOldRulesMoney: money(runs[runs.count - 1]))
    }

    static func apply(_ values: [Int], _ axes: [SweepAxis], to spec: FleetSpec) -> FleetSpec {
        var changed = spec
        for (axis, value) in zip(axes, values) { axis.parameter.apply(value, to: &changed) }
        return changed
    }

    /// The fleet.yaml rule a spec breaks, in words; nil when it keeps them all.
    static func brokenRule(_ spec: FleetSpec) -> String? {
        let s = spec.scaling
        if s.downscaleMargin - s.upscaleMargin <= spec.gameserver.capacity {
            return "downscaleMargin - upscaleMargin must be more than capacity"
        }
        if s.minServers > s.maxServers { return "minServers must not be more than maxServers" }
        return nil
    }
}
