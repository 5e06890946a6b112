/// A call to an AWS service that failed without an AWS error answer: the request never got a
/// complete response, the response was not in the service's format, or the request was refused
/// before sending. (An answer in the service's error format is an ``AWSServiceError``.)
public struct AWSCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        /// No complete response arrived.
        case transport(TransportError)
        /// A non-2xx response whose body is not an AWS error, e.g. the HTML page of a proxy or of
        /// a crashed mock server. `excerpt` is the start of the body with markup removed and
        /// whitespace collapsed, at most 200 characters; `contentType` is the header value, if any.
        case notAnAWSError(statusCode: Int, contentType: String?, excerpt: String)
        /// A 2xx response whose body could not be read as the operation's result.
        case malformedResponse(String)
        /// The request was rejected before anything was sent, e.g. RunTask with a count over 10.
        case invalidRequest(String)

        /// A one-line explanation.
        public var description: String {
            switch self {
            case .transport(let error):
                return error.description
            case .notAnAWSError(let statusCode, let contentType, let excerpt):
                let type = contentType.map { " (\($0))" } ?? ""
                return "HTTP \(statusCode) with a body that is not an AWS error\(type): \(excerpt.isEmpty ? "<empty body>" : excerpt)"
            case .malformedResponse(let detail):
                return "unreadable response: \(detail)"
            case .invalidRequest(let detail):
                return "invalid request: \(detail)"
            }
        }
    }

    /// The service's short name, e.g. `ecs`.
    public var service: String
    /// The operation, e.g. `DescribeTasks`.
    public var operation: String
    /// What went wrong.
    public var reason: Reason
    /// How many attempts were made; 0 when the request was rejected before sending.
    public var attempts: Int

    /// Creates an error record.
    public init(service: String, operation: String, reason: Reason, attempts: Int) {
        self.service = service
        self.operation = operation
        self.reason = reason
        self.attempts = attempts
    }

    /// E.g. `ecs DescribeTasks failed after 3 attempts: timed out after 30.0 seconds`.
    public var description: String {
        "\(service) \(operation) failed after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(reason)"
    }
}
