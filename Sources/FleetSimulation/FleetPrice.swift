import FleetCore

/// What a fleet costs an hour under fleet.yaml's `cost:` and its capacity provider mix: on-demand
/// servers at the server-hour price, servers on `FARGATE_SPOT` at that price less the discount.
/// Pure arithmetic, so every money figure of the reports comes from here.
public struct FleetPrice: Sendable, Equatable {
    /// One server-hour on demand.
    public var onDemandServerHour: Double
    /// One server-hour on `FARGATE_SPOT`: the on-demand price less the discount.
    public var spotServerHour: Double
    /// Which share of a fleet runs on Spot.
    public var mix: SpotMix

    public init(onDemandServerHour: Double, spotDiscountPercent: Double = 0, mix: SpotMix = SpotMix()) {
        self.onDemandServerHour = onDemandServerHour
        spotServerHour = onDemandServerHour * (1 - spotDiscountPercent / 100)
        self.mix = mix
    }

    /// The price of `cost` for a fleet placed by `strategy` (empty: every server on demand).
    public init(cost: CostSpec, strategy: [CapacityProviderShare]) {
        self.init(onDemandServerHour: cost.price.serverHour, spotDiscountPercent: cost.spotDiscountPercent ?? 0,
                  mix: SpotMix(strategy: strategy))
    }

    /// The price of a spec's `cost:`, with its ECS strategy; nil without `cost:`.
    public init?(spec: FleetSpec) {
        guard let cost = spec.cost else { return nil }
        self.init(cost: cost, strategy: spec.provider == .ecs ? spec.ecs?.capacityProviderStrategy ?? [] : [])
    }

    /// What a fleet of `servers` costs an hour; 0 for none.
    public func perHour(servers: Int) -> Double {
        let spot = mix.spotServers(among: servers)
        return (Double(max(servers, 0)) - spot) * onDemandServerHour + spot * spotServerHour
    }

    /// What a run cost: each fleet size's hours at that size's price.
    public func total(_ time: FleetSizeTime) -> Double {
        time.seconds.enumerated().reduce(0) { $0 + perHour(servers: $1.offset) * $1.element / 3600 }
    }

    /// A run's money over a trace of `minutes`: in all, a day (the trace's cost scaled to 24 hours)
    /// and a month of ``CostSpec/daysInMonth`` days; zeros for an empty trace.
    public func spent(_ time: FleetSizeTime, minutes: Int) -> MoneySpent {
        MoneySpent(total: total(time), minutes: minutes)
    }
}

/// Money spent over a trace, and the same scaled to a day and to a 30-day month. Rounded to 0.0001
/// of the currency so reports compare byte for byte.
public struct MoneySpent: Sendable, Equatable, Codable {
    /// Over the whole trace.
    public var total: Double
    /// A day: `total` over the trace's length in days.
    public var perDay: Double
    /// A month of ``CostSpec/daysInMonth`` (30) days: `perDay × 30`.
    public var perMonth: Double

    public init(total: Double, minutes: Int) {
        let days = Double(minutes) / 1440
        let perDay = days > 0 ? total / days : 0
        self.total = Self.round(total)
        self.perDay = Self.round(perDay)
        perMonth = Self.round(perDay * Double(CostSpec.daysInMonth))
    }

    static func round(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
