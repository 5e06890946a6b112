import AWSSigV4
import Foundation

/// Credentials together with the time they stop working, as a credential source found them.
/// Like ``AWSSigV4/AWSCredentials``, its description shows no secret.
public struct ExpiringCredentials: Sendable, Equatable, CustomStringConvertible {
    /// The key pair and session token.
    public var credentials: AWSCredentials
    /// When they expire, or `nil` for long-term keys that do not.
    public var expiration: Date?

    /// Creates a record.
    public init(_ credentials: AWSCredentials, expiration: Date? = nil) {
        self.credentials = credentials
        self.expiration = expiration
    }

    /// The redacted credentials and the expiry time.
    public var description: String {
        "\(credentials), expiration: \(expiration.map { "\($0)" } ?? "never")"
    }
}
