/// Why no credentials could be had. Messages name the source and the reason but never a
/// secret key, session token or authorization token.
public enum CredentialsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A source that is set up failed.
    case sourceFailed(source: String, reason: String)
    /// No source had credentials; each tried source with why it had none, in order.
    case noCredentialsFound(tried: [TriedSource])

    /// One source asked without success, and why.
    public struct TriedSource: Sendable, Equatable, CustomStringConvertible {
        /// The source's name.
        public var source: String
        /// Why it had no credentials.
        public var reason: String

        /// Creates a record.
        public init(source: String, reason: String) {
            self.source = source
            self.reason = reason
        }

        /// `source (reason)`.
        public var description: String { "\(source) (\(reason))" }
    }

    /// E.g. `no credentials found; tried: environment (AWS_ACCESS_KEY_ID is not set), …`.
    public var description: String {
        switch self {
        case .sourceFailed(let source, let reason):
            return "credentials from the \(source) failed: \(reason)"
        case .noCredentialsFound(let tried):
            return "no credentials found; tried: " + tried.map(\.description).joined(separator: ", ")
        }
    }
}
