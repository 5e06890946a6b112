/// An empty JSON object, `{}`: the body of operations that take or return nothing.
struct ECSEmpty: Codable, Sendable {}
