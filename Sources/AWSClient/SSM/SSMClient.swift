import Foundation

/// A client for AWS Systems Manager Parameter Store (JSON 1.1 protocol): every call is a signed
/// `POST /` with `Content-Type: application/x-amz-json-1.1` and an `X-Amz-Target:
/// AmazonSSM.<Operation>` header, through the same caller (signer, retries, credentials, error
/// typing) as the ECS and DynamoDB clients.
///
/// gamefleet reads and writes one parameter: a fleet.yaml kept in Parameter Store (`--config
/// ssm:NAME`, `gamefleet push --to ssm:NAME`).
public struct SSMClient: Sendable {
    /// The target prefix of every Parameter Store operation.
    public static let targetPrefix = "AmazonSSM"
    /// The JSON 1.1 content type.
    public static let contentType = "application/x-amz-json-1.1"

    let json: AWSJSONCaller

    /// The endpoint calls go to.
    public var endpoint: AWSEndpoint { json.endpoint }

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: region, credentials, transport and the rest.
    ///   - endpoint: an explicit endpoint URL, which beats `AWS_ENDPOINT_URL_SSM` and
    ///     `AWS_ENDPOINT_URL`; `nil` to use those or the default `https://ssm.REGION.amazonaws.com`.
    /// - Throws: ``AWSEndpoint/InvalidURL`` when the chosen endpoint is not a usable URL.
    public init(configuration: AWSClientConfiguration, endpoint: String? = nil) throws {
        let resolved = try AWSEndpoint.resolve(for: .ssm, region: configuration.region, explicit: endpoint, environment: configuration.environment)
        self.json = AWSJSONCaller(
            service: .ssm, endpoint: resolved, configuration: configuration, targetPrefix: Self.targetPrefix, contentType: Self.contentType)
    }

    /// One parameter as `GetParameter` answers it.
    public struct Parameter: Sendable, Equatable, Decodable {
        /// The parameter's name, e.g. `/gamefleet/chess/fleet.yaml`.
        public var name: String
        /// `String`, `StringList` or `SecureString`.
        public var type: String
        /// The value; decrypted when asked with decryption.
        public var value: String
        /// Parameter Store's version number: 1 for the first value, one more at every write.
        public var version: Int64

        public init(name: String, type: String, value: String, version: Int64) {
            self.name = name
            self.type = type
            self.value = value
            self.version = version
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name", type = "Type", value = "Value", version = "Version"
        }
    }

    struct GetParameterInput: Encodable {
        var Name: String
        var WithDecryption: Bool
    }

    struct GetParameterOutput: Decodable {
        var Parameter: Parameter
    }

    /// `GetParameter`: the parameter's current value and version.
    /// - Parameters:
    ///   - name: the parameter's name (or ARN).
    ///   - withDecryption: decrypt a `SecureString` (needs `kms:Decrypt` on its key).
    /// - Throws: ``AWSServiceError`` with code `ParameterNotFound` when there is no such parameter,
    ///   `AccessDeniedException` without `ssm:GetParameter`; otherwise as every client call.
    public func getParameter(_ name: String, withDecryption: Bool = true) async throws -> Parameter {
        try await json.perform("GetParameter", GetParameterInput(Name: name, WithDecryption: withDecryption), as: GetParameterOutput.self).Parameter
    }

    struct PutParameterInput: Encodable {
        var Name: String
        var Value: String
        var `Type`: String?
        var Overwrite: Bool
        var Tier: String?
    }

    struct PutParameterOutput: Decodable {
        var Version: Int64
    }

    /// `PutParameter`: writes a new value and answers its version.
    /// - Parameters:
    ///   - name: the parameter's name.
    ///   - value: the new value (at most 4 KB on the standard tier, 8 KB on the advanced).
    ///   - type: `String`, `StringList` or `SecureString`; `nil` keeps an existing parameter's.
    ///   - overwrite: whether an existing parameter may be replaced.
    ///   - tier: `Standard`, `Advanced` or `Intelligent-Tiering`; `nil` for the account's default.
    /// - Throws: ``AWSServiceError`` (`ParameterAlreadyExists` without `overwrite`,
    ///   `ValidationException` for a value over the tier's size, …) or another client error.
    @discardableResult
    public func putParameter(_ name: String, value: String, type: String?, overwrite: Bool, tier: String? = nil) async throws -> Int64 {
        try await json.perform(
            "PutParameter", PutParameterInput(Name: name, Value: value, Type: type, Overwrite: overwrite, Tier: tier), as: PutParameterOutput.self
        ).Version
    }

    struct DeleteParameterInput: Encodable {
        var Name: String
    }

    /// `DeleteParameter`: removes the parameter and all its versions.
    /// - Throws: ``AWSServiceError`` with code `ParameterNotFound` when there is none.
    public func deleteParameter(_ name: String) async throws {
        struct Empty: Decodable {}
        _ = try await json.perform("DeleteParameter", DeleteParameterInput(Name: name), as: Empty.self)
    }
}
