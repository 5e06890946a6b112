/// A name and value, as ECS writes attachment details and environment variables.
public struct ECSKeyValuePair: Codable, Sendable, Hashable {
    /// The name, e.g. `privateIPv4Address`.
    public var name: String?
    /// The value.
    public var value: String?

    /// Creates a pair.
    public init(name: String?, value: String?) {
        self.name = name
        self.value = value
    }
}
