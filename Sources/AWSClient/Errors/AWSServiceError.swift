/// An error that an AWS service (or something speaking its protocol, like moto) answered with:
/// a non-2xx status and a body in the service's error format.
///
/// Match on ``code`` to handle a specific case, e.g. `ClusterNotFoundException` from ECS or
/// `InvalidInstanceID.NotFound` from EC2. The description carries the message the service
/// wrote; AWS error messages describe the request, never the caller's secret key.
public struct AWSServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The service's short name, e.g. `ecs` or `ec2`.
    public var service: String
    /// The operation that failed, e.g. `RunTask`.
    public var operation: String
    /// The HTTP status, e.g. `400`.
    public var statusCode: Int
    /// The error code without any namespace: JSON `__type` with the part up to `#` removed,
    /// or the XML `<Code>`. E.g. `ThrottlingException`, `ClientException`.
    public var code: String
    /// The service's explanation; empty when it sent none.
    public var message: String
    /// The request id (`x-amzn-RequestId`, or the XML `<RequestID>`) to quote to AWS support,
    /// or `nil` when the response had none.
    public var requestID: String?
    /// How many attempts were made before giving up, the last of which returned this error.
    public var attempts: Int

    /// Creates an error record.
    public init(
        service: String,
        operation: String,
        statusCode: Int,
        code: String,
        message: String,
        requestID: String? = nil,
        attempts: Int = 1
    ) {
        self.service = service
        self.operation = operation
        self.statusCode = statusCode
        self.code = code
        self.message = message
        self.requestID = requestID
        self.attempts = attempts
    }

    /// E.g. `ecs RunTask failed after 1 attempt: HTTP 400 ClientException: Cluster not found (request id 8f1…)`.
    public var description: String {
        var text = "\(service) \(operation) failed after \(attempts) attempt\(attempts == 1 ? "" : "s"): HTTP \(statusCode) \(code)"
        if !message.isEmpty {
            text += ": \(message)"
        }
        if let requestID {
            text += " (request id \(requestID))"
        }
        return text
    }
}
