/// Why a transport produced no response. The descriptions name the failure, never a header
/// or a body, so they are safe to log.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The exchange took longer than the timeout it was given.
    case timedOut(after: Duration)
    /// The connection could not be made or broke before the response was complete; the text
    /// says what the HTTP library reported.
    case connectionFailed(String)
    /// The response body was longer than the transport accepts, in bytes.
    case responseTooLarge(limit: Int)
    /// The request could not be sent as given (e.g. a malformed URL); sending it again will
    /// not help.
    case invalidRequest(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .timedOut(let after):
            return "timed out after \(after)"
        case .connectionFailed(let reason):
            return "connection failed: \(reason)"
        case .responseTooLarge(let limit):
            return "response body larger than the \(limit)-byte limit"
        case .invalidRequest(let reason):
            return "invalid request: \(reason)"
        }
    }
}
