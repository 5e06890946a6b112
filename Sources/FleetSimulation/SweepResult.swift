import Foundation

/// What `gamefleet simulate --sweep` found: each combination's cost and backup share, with the
/// Pareto front marked. Cells are in the order of their settings, so the output is the same however
/// the runs were scheduled.
public struct SweepResult: Sendable, Equatable, Codable {
    /// One combination of settings and how the fleet did with it.
    public struct Cell: Sendable, Equatable, Codable {
        /// The settings' values, in the order of ``SweepResult/parameters``.
        public var values: [Int]
        /// How the fleet did with these settings.
        public var outcome: FleetOutcome
        /// The lower bound for these settings (it depends on the capacity).
        public var lowerBoundServerHours: Double
        /// True when no other combination is at least as good on both cost and backup and better on one.
        public var onParetoFront = false
        /// What these settings cost in ``SweepResult/currency`` (a day, a 30-day month); nil without `cost:`.
        public var money: MoneySpent?
    }

    /// The trace's name.
    public var trace: String
    /// Its length in minutes.
    public var traceMinutes: Int
    /// Players it brings.
    public var arrivals: Int
    /// The seed every run used.
    public var seed: UInt64
    /// The settings varied, in the order given.
    public var parameters: [SweepParameter]
    /// Every combination that was run.
    public var cells: [Cell]
    /// Combinations left out because fleet.yaml's rules would refuse them: how many broke each rule.
    public var skipped: [String: Int]
    /// fleet.yaml's own settings under gamefleet's rules, for comparison.
    public var base: Cell
    /// fleet.yaml's own settings under the old app's rules.
    public var baseOldRules: FleetOutcome
    /// fleet.yaml's `cost.currency`; nil (and no money anywhere) without `cost:`.
    public var currency: String?
    /// The old rules' money, as the cells'.
    public var baseOldRulesMoney: MoneySpent?

    /// The JSON form: pretty-printed, keys sorted, ending in a newline.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// The table: one row per combination, the front marked with `*`, then the front alone,
    /// cheapest first, and fleet.yaml's own settings under both rules.
    public func text() -> String {
        var lines: [String] = []
        let skippedCount = skipped.values.reduce(0, +)
        lines.append("sweep: trace \(trace) (\(NumberText.grouped(traceMinutes)) min, \(NumberText.grouped(arrivals)) players), seed \(seed)")
        var counts = "\(NumberText.grouped(cells.count + skippedCount)) combinations: \(NumberText.grouped(cells.count)) run"
        if skippedCount > 0 {
            counts += ", \(NumberText.grouped(skippedCount)) skipped ("
                + skipped.keys.sorted().map { "\(NumberText.grouped(skipped[$0]!)): \($0)" }.joined(separator: "; ") + ")"
        }
        lines.append(counts)
        lines.append("")

        let names = parameters.map(\.rawValue)
        let moneyColumns = currency.map { ["\($0) a day", "\($0) a month"] } ?? []
        let columns = names + ["server-hours"] + moneyColumns + ["× lower bound", "to backup", "longest under margin", "front"]
        let widths = columns.map { max($0.count, 8) }
        func row(_ fields: [String]) -> String {
            let line = zip(fields, widths).map { field, width in
                String(repeating: " ", count: max(0, width - field.count)) + field
            }.joined(separator: "  ")
            // An empty last column would leave trailing spaces.
            return String(line[..<(line.lastIndex(where: { $0 != " " }).map(line.index(after:)) ?? line.startIndex)])
        }
        lines.append(row(columns))
        for cell in cells {
            let o = cell.outcome
            let money = cell.money.map { [NumberText.money($0.perDay), NumberText.money($0.perMonth)] } ?? []
            lines.append(row(zip(parameters, cell.values).map { $0.text($1) } + [NumberText.fixed(o.serverHours, 1)] + money + [
                NumberText.fixed(o.lowerBoundRatio, 2) + "×",
                NumberText.percent(o.backupPercent), NumberText.duration(o.longestUnderUpscaleMarginSeconds),
                cell.onParetoFront ? "*" : "",
            ]))
        }
        lines.append("")
        lines.append("* on the Pareto front: no other setting both costs no more and sends no more players to the backup,")
        lines.append("  while doing better on one of the two. Pick from the front by how much backup use you accept.")
        if let currency {
            lines.append("  Money in \(currency) at fleet.yaml's cost: a day is the trace's cost scaled to 24 h, a month is 30 days.")
        }
        lines.append("")
        lines.append("Pareto front, cheapest first:")
        let front = cells.filter(\.onParetoFront).sorted {
            $0.outcome.serverHours != $1.outcome.serverHours ? $0.outcome.serverHours < $1.outcome.serverHours
                : $0.values.lexicographicallyPrecedes($1.values)
        }
        for cell in front {
            lines.append("  " + describe(cell.values) + ": " + summary(cell.outcome, cell.money))
        }
        lines.append("")
        lines.append("as configured (\(describe(base.values))): gamefleet " + summary(base.outcome, base.money)
            + "; old rules " + summary(baseOldRules, baseOldRulesMoney))
        if let worst = cells.map(\.outcome.playersOnStoppedServers).max(), worst > 0 {
            lines.append("WARNING: some settings stopped servers with players on them; see playersOnStoppedServers in --output json")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func describe(_ values: [Int]) -> String {
        zip(parameters, values).map { "\($0.rawValue)=\($0.text($1))" }.joined(separator: " ")
    }

    private func summary(_ o: FleetOutcome, _ money: MoneySpent?) -> String {
        var spent = ""
        if let currency, let money { spent = ", \(currency) \(NumberText.money(money.perMonth)) a month" }
        return "\(NumberText.fixed(o.serverHours, 1)) server-hours (\(NumberText.fixed(o.lowerBoundRatio, 2))× the lower bound\(spent)), "
            + "\(NumberText.percent(o.backupPercent)) to backup"
    }
}
