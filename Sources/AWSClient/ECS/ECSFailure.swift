/// One item ECS could not act on, reported beside the successes (e.g. RunTask's `RESOURCE:CPU`
/// when no instance has room, DescribeTasks' `MISSING` for an unknown ARN).
public struct ECSFailure: Codable, Sendable, Hashable {
    /// The ARN concerned, when there is one.
    public var arn: String?
    /// The reason code, e.g. `MISSING` or `RESOURCE:MEMORY`.
    public var reason: String?
    /// More detail, when ECS gives it.
    public var detail: String?

    /// Creates a failure record.
    public init(arn: String? = nil, reason: String? = nil, detail: String? = nil) {
        self.arn = arn
        self.reason = reason
        self.detail = detail
    }
}
