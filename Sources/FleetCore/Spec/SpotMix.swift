/// Which share of a fleet runs on `FARGATE_SPOT`, from `ecs.capacityProviderStrategy`, as ECS places
/// tasks: the strategy's `base` servers go to the one provider with a base first, and the rest are
/// shared by weight. So with `FARGATE` base 2 weight 1 and `FARGATE_SPOT` weight 3, a fleet of 2 runs
/// wholly on demand and a fleet of 10 has 6 on Spot.
///
/// A model of where ECS aims, not a record of where tasks ran: when gamefleet stops the emptiest
/// servers, the mix left may drift from the weights until later launches bring it back.
public struct SpotMix: Sendable, Equatable {
    /// Servers placed on the base's provider before the weights apply.
    public var base: Int
    /// Whether the base's provider is `FARGATE_SPOT`.
    public var baseOnSpot: Bool
    /// The share of the servers past the base that run on `FARGATE_SPOT`: its weight over all weights
    /// (0 … 1).
    public var shareAfterBase: Double

    public init(base: Int = 0, baseOnSpot: Bool = false, shareAfterBase: Double = 0) {
        self.base = base
        self.baseOnSpot = baseOnSpot
        self.shareAfterBase = shareAfterBase
    }

    /// The mix of a strategy; an empty strategy (a launch type instead) runs nothing on Spot.
    /// A strategy whose weights are all 0 (refused by the loader) is read as placing nothing past the base.
    public init(strategy: [CapacityProviderShare]) {
        let withBase = strategy.first { $0.base > 0 }
        base = withBase?.base ?? 0
        baseOnSpot = withBase?.capacityProvider == Self.spotProvider
        let weights = strategy.reduce(0) { $0 + $1.weight }
        let spotWeight = strategy.filter { $0.capacityProvider == Self.spotProvider }.reduce(0) { $0 + $1.weight }
        shareAfterBase = weights > 0 ? Double(spotWeight) / Double(weights) : 0
    }

    /// The capacity provider whose tasks are billed at the Spot discount.
    public static let spotProvider = "FARGATE_SPOT"

    /// True when some fleet size puts a server on Spot.
    public var hasSpot: Bool { (baseOnSpot && base > 0) || shareAfterBase > 0 }

    /// Servers on Spot in a fleet of `servers` (fractional: the weights' share of the servers past
    /// the base); 0 for an empty fleet.
    public func spotServers(among servers: Int) -> Double {
        let n = max(servers, 0)
        let inBase = min(n, base)
        return (baseOnSpot ? Double(inBase) : 0) + Double(n - inBase) * shareAfterBase
    }
}
