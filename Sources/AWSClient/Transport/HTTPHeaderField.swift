/// One HTTP header line as sent or received. Names keep their spelling; lookups compare them
/// case-insensitively, as HTTP does.
public struct HTTPHeaderField: Sendable, Hashable {
    /// The header name, e.g. `Content-Type`.
    public var name: String
    /// The header value.
    public var value: String

    /// Creates a header line.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == HTTPHeaderField {
    /// The value of the first header called `name` (compared case-insensitively), or `nil` if
    /// there is none.
    public func value(for name: String) -> String? {
        let wanted = name.lowercased()
        return first { $0.name.lowercased() == wanted }?.value
    }
}
