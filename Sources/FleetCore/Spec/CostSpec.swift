/// `cost:` in fleet.yaml: what one gameserver costs an hour, so `gamefleet simulate` reports money
/// beside server-hours. Serve and the planner never read it: it prices a fleet, it does not size one.
public struct CostSpec: Sendable, Equatable {
    /// How the on-demand price of one server-hour is given.
    public enum Price: Sendable, Equatable {
        /// A price per server-hour (an EC2 instance per gameserver, a machine, any provider).
        case perServerHour(Double)
        /// Fargate's prices per vCPU-hour and per GB-hour of memory, and the task's size: a task
        /// is billed for the vCPU and memory it asks for, whatever it uses.
        case fargate(vcpuHour: Double, gbHour: Double, vcpu: Double, memoryGB: Double)

        /// One server-hour on demand: the price as given, or `vcpu × vcpuHour + memoryGB × gbHour`.
        public var serverHour: Double {
            switch self {
            case .perServerHour(let price): return price
            case .fargate(let vcpuHour, let gbHour, let vcpu, let memoryGB): return vcpu * vcpuHour + memoryGB * gbHour
            }
        }
    }

    /// The on-demand price.
    public var price: Price
    /// Percent off the on-demand price for servers on `FARGATE_SPOT` (0 … 99); nil when
    /// `ecs.capacityProviderStrategy` puts no server there (the loader refuses one without the other).
    public var spotDiscountPercent: Double?
    /// A label printed beside every amount (`USD`, `EUR`, `₹`); nothing is converted.
    public var currency: String

    public init(price: Price, spotDiscountPercent: Double? = nil, currency: String = CostSpec.defaultCurrency) {
        self.price = price
        self.spotDiscountPercent = spotDiscountPercent
        self.currency = currency
    }

    /// `cost.currency` when it is left out: AWS bills in US dollars.
    public static let defaultCurrency = "USD"
    /// Days in the month the reports speak of: a month is 30 days, whatever the calendar says.
    public static let daysInMonth = 30
}
