extension RetryPolicy {
    /// How a failed attempt is treated.
    public enum Failure: Sendable, Equatable {
        /// The service asked us to slow down (a throttling code, or HTTP 429).
        case throttling
        /// The service or the network failed in a way that may pass: a 5xx, a dropped
        /// connection, or a request-timeout code from the service.
        case transient
        /// No response arrived within the call's timeout.
        case timeout
        /// Trying again would fail the same way (a 4xx other than throttling, a malformed
        /// request, an unreadable success response).
        case notRetryable
    }

    /// Error codes that mean "slow down", as the AWS SDKs list them for standard mode.
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "EC2ThrottledException",
    ]

    /// Error codes for requests the service dropped half-way, which may go through next time.
    public static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
    ]

    /// How `error`, thrown by one attempt, is treated. Codes win over statuses, so a
    /// throttling code on a 400 is throttling and a 5xx with any other code is transient.
    public static func classify(_ error: any Error) -> Failure {
        switch error {
        case let error as AWSServiceError:
            if throttlingCodes.contains(error.code) { return .throttling }
            if transientCodes.contains(error.code) { return .transient }
            return classify(statusCode: error.statusCode)
        case let error as AWSCallError:
            switch error.reason {
            case .transport(let transport): return classify(transport)
            case .notAnAWSError(let statusCode, _, _): return classify(statusCode: statusCode)
            case .malformedResponse, .invalidRequest: return .notRetryable
            }
        case let error as TransportError:
            return classify(error)
        default:
            return .notRetryable
        }
    }

    static func classify(statusCode: Int) -> Failure {
        if statusCode == 429 { return .throttling }
        if (500...599).contains(statusCode) { return .transient }
        return .notRetryable
    }

    static func classify(_ error: TransportError) -> Failure {
        switch error {
        case .timedOut: return .timeout
        case .connectionFailed: return .transient
        case .responseTooLarge, .invalidRequest: return .notRetryable
        }
    }
}
