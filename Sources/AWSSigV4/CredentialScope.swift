/// The credential scope: the date, region and service a signature is valid for, ending in the
/// fixed terminator `aws4_request`. Written `20150830/us-east-1/iam/aws4_request`.
public struct CredentialScope: Sendable, Equatable, CustomStringConvertible {
    /// The fixed last part of every SigV4 scope, also the last input of the signing-key chain.
    public static let terminator = "aws4_request"

    /// The UTC date, `YYYYMMDD`.
    public var dateStamp: String
    /// The region, e.g. `us-east-1`.
    public var region: String
    /// The service signing name, e.g. `ecs`.
    public var service: String

    /// Creates a scope from its parts.
    public init(dateStamp: String, region: String, service: String) {
        self.dateStamp = dateStamp
        self.region = region
        self.service = service
    }

    /// The scope as it appears in the string to sign and after `Credential=<access key id>/`.
    public var description: String {
        [dateStamp, region, service, Self.terminator].joined(separator: "/")
    }
}
