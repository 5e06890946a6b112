/// A DescribeInstances filter: `name` (e.g. `tag:gamefleet:fleet`, `instance-state-name`) matching
/// any of `values`. Filters are ANDed; values within one are ORed.
public struct EC2Filter: Sendable, Hashable {
    public var name: String
    public var values: [String]

    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }

    /// Instances carrying tag `key` with `value`.
    public static func tag(_ key: String, _ value: String) -> EC2Filter {
        EC2Filter(name: "tag:\(key)", values: [value])
    }
}
