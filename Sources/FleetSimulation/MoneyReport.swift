import FleetCore

/// What each fleet of a report costs in the operator's currency, beside its server-hours, when
/// fleet.yaml has `cost:`: gamefleet under both policies, the old rules, a fixed fleet sized for the
/// peak, and the lower bound. Amounts come from ``FleetPrice``; a day is the trace's cost scaled to
/// 24 hours and a month is 30 days (``CostSpec/daysInMonth``).
public struct MoneyReport: Sendable, Equatable, Codable {
    /// One fleet's money.
    public struct Row: Sendable, Equatable, Codable {
        /// The fleet's server-hours over the trace, as in the report's table.
        public var serverHours: Double
        /// What those hours cost.
        public var spent: MoneySpent
        /// What the fleet saves a month against the fixed fleet sized for the peak (negative when it
        /// costs more).
        public var savedPerMonth: Double
    }

    /// The label beside every amount (`cost.currency`).
    public var currency: String
    /// How a server-hour is priced, for people: the formula and the Spot mix.
    public var price: String
    /// One server-hour on demand.
    public var onDemandServerHour: Double
    /// One server-hour on `FARGATE_SPOT`; nil when no server runs there.
    public var spotServerHour: Double?
    /// Days in the month the `perMonth` figures speak of (30).
    public var monthDays: Int
    /// Servers of the fixed fleet: the lower bound's peak, `max(minServers, ⌈most players at once ÷
    /// capacity⌉)`, all the time.
    public var fixedServers: Int
    /// gamefleet under fleet.yaml's policy.
    public var gamefleet: Row
    /// gamefleet under the other policy.
    public var otherPolicy: Row
    /// The old app's rules.
    public var oldRules: Row
    /// A fleet that never scales, sized for the peak (``fixedServers``).
    public var fixedForPeak: Row
    /// The lower bound's fleet (perfect foresight, instant launches).
    public var lowerBound: Row

    /// The money of a report's runs; nil when the spec has no `cost:`.
    init?(spec: FleetSpec, minutes: Int, peakPlayers: Int, lowerBoundServerHours: Double,
          gamefleet: SimulationRun, otherPolicy: SimulationRun, oldRules: SimulationRun) {
        guard let cost = spec.cost, let price = FleetPrice(spec: spec) else { return nil }
        currency = cost.currency
        self.price = Self.describe(cost, price)
        onDemandServerHour = MoneySpent.round(price.onDemandServerHour)
        spotServerHour = price.mix.hasSpot ? MoneySpent.round(price.spotServerHour) : nil
        monthDays = CostSpec.daysInMonth
        let capacity = spec.gameserver.capacity
        fixedServers = max(spec.scaling.minServers, (peakPlayers + capacity - 1) / capacity)
        var fixed = FleetSizeTime()
        fixed.add(Double(minutes) * 60, servers: fixedServers)
        let fixedSpent = price.spent(fixed, minutes: minutes)
        func row(_ hours: Double, _ time: FleetSizeTime) -> Row {
            let spent = price.spent(time, minutes: minutes)
            return Row(serverHours: hours, spent: spent, savedPerMonth: MoneySpent.round(fixedSpent.perMonth - spent.perMonth))
        }
        self.gamefleet = row(gamefleet.outcome.serverHours, gamefleet.fleetSizes)
        self.otherPolicy = row(otherPolicy.outcome.serverHours, otherPolicy.fleetSizes)
        self.oldRules = row(oldRules.outcome.serverHours, oldRules.fleetSizes)
        fixedForPeak = row(Double(fixedServers) * Double(minutes) / 60, fixed)
        lowerBound = row(lowerBoundServerHours, gamefleet.lowerBoundFleetSizes)
    }

    /// `0.5 vCPU × 0.04048 + 1 GB × 0.004445 = 0.024685 a server-hour on demand; the first 2 servers
    /// on demand, 75% of the rest on FARGATE_SPOT at 70% off (0.0074055)`.
    static func describe(_ cost: CostSpec, _ price: FleetPrice) -> String {
        var text: String
        switch cost.price {
        case .perServerHour(let hour):
            text = "\(NumberText.decimal(hour)) a server-hour on demand"
        case .fargate(let vcpuHour, let gbHour, let vcpu, let memoryGB):
            text = "\(NumberText.decimal(vcpu)) vCPU × \(NumberText.decimal(vcpuHour)) + \(NumberText.decimal(memoryGB)) GB × "
                + "\(NumberText.decimal(gbHour)) = \(NumberText.decimal(price.onDemandServerHour)) a server-hour on demand"
        }
        let mix = price.mix
        guard mix.hasSpot else { return text }
        let spot = "on \(SpotMix.spotProvider) at \(NumberText.decimal(cost.spotDiscountPercent ?? 0, places: 2))% off "
            + "(\(NumberText.decimal(price.spotServerHour)))"
        let share = NumberText.decimal(mix.shareAfterBase * 100, places: 1) + "%"
        switch (mix.base > 0, mix.baseOnSpot) {
        case (false, _): text += "; \(share) of the servers \(spot)"
        case (true, false): text += "; the first \(mix.base) servers on demand, \(share) of the rest \(spot)"
        case (true, true): text += "; the first \(mix.base) servers and \(share) of the rest \(spot)"
        }
        return text
    }

    /// The report's money block: the price, then one row per fleet.
    func lines(policy: ScalingPolicy, otherPolicy: ScalingPolicy, traceMinutes: Int,
               backup: (gamefleet: Double, otherPolicy: Double, oldRules: Double)) -> [String] {
        var lines = ["money in \(currency): \(price)"]
        func row(_ label: String, _ fields: String...) {
            let line = label.padding(toLength: 38, withPad: " ", startingAt: 0)
                + zip(fields, [14, 11, 12, 19, 15]).map { Self.leftPad($0, $1) }.joined()
            lines.append(String(line.reversed().drop(while: { $0 == " " }).reversed()))
        }
        row("", "server-hours", "to backup", "a day", "a month (30 d)", "saved a month")
        func figures(_ label: String, _ r: Row, backup: String, saved: Bool = true) {
            row(label, NumberText.fixed(r.serverHours, 1), backup, NumberText.money(r.spent.perDay), NumberText.money(r.spent.perMonth),
                saved ? NumberText.money(r.savedPerMonth) : "")
        }
        figures("gamefleet, \(policy.rawValue)", gamefleet, backup: NumberText.percent(backup.gamefleet))
        figures("\(otherPolicy.rawValue) policy", self.otherPolicy, backup: NumberText.percent(backup.otherPolicy))
        figures("old rules", oldRules, backup: NumberText.percent(backup.oldRules))
        figures("fixed fleet for the peak (\(NumberText.grouped(fixedServers)))", fixedForPeak, backup: NumberText.percent(0), saved: false)
        figures("lower bound", lowerBound, backup: NumberText.percent(0))
        lines.append("a day: the trace's \(NumberText.grouped(traceMinutes)) min scaled to 24 h; a month: \(monthDays) days; "
            + "saved: a month, against the fixed fleet sized for the peak (servers in brackets)")
        return lines
    }

    static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}
