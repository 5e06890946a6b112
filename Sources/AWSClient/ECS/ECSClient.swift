import Foundation

/// A client for the Amazon ECS API (JSON 1.1 protocol): every call is a signed `POST /` with
/// `Content-Type: application/x-amz-json-1.1`, an `X-Amz-Target:
/// AmazonEC2ContainerServiceV20141113.<Operation>` header and the request as a JSON object.
///
/// The operations gamefleet uses are methods in the `ECSClient+…` files; ``perform(_:_:as:)``
/// reaches any other operation. Calls retry under the configuration's ``RetryPolicy``, and
/// all calls of one client share its retry token bucket.
public struct ECSClient: Sendable {
    /// The target prefix of every ECS operation.
    public static let targetPrefix = "AmazonEC2ContainerServiceV20141113"
    /// The JSON 1.1 content type.
    public static let contentType = "application/x-amz-json-1.1"

    let json: AWSJSONCaller

    /// The endpoint calls go to.
    public var endpoint: AWSEndpoint { json.endpoint }

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: region, credentials, transport and the rest.
    ///   - endpoint: an explicit endpoint URL (fleet.yaml's `ecs.endpoint`), which beats
    ///     `AWS_ENDPOINT_URL_ECS` and `AWS_ENDPOINT_URL`; `nil` to use those or the default
    ///     `https://ecs.REGION.amazonaws.com`.
    /// - Throws: ``AWSEndpoint/InvalidURL`` when the chosen endpoint is not a usable URL.
    public init(configuration: AWSClientConfiguration, endpoint: String? = nil) throws {
        let resolved = try AWSEndpoint.resolve(
            for: .ecs,
            region: configuration.region,
            explicit: endpoint,
            environment: configuration.environment
        )
        self.json = AWSJSONCaller(
            service: .ecs, endpoint: resolved, configuration: configuration, targetPrefix: Self.targetPrefix, contentType: Self.contentType)
    }

    /// Calls `operation` with `input` as its JSON body and decodes the answer as `Output`.
    ///
    /// Keys are written sorted and `nil` optionals left out, so the same input always gives the
    /// same bytes (and the same signature). Times in answers are read as epoch seconds.
    /// - Throws: ``AWSServiceError``, ``AWSCallError`` (including
    ///   ``AWSCallError/Reason/malformedResponse(_:)`` when the answer does not decode), or
    ///   ``CredentialsError``.
    public func perform<Output: Decodable>(_ operation: String, _ input: some Encodable, as output: Output.Type = Output.self) async throws -> Output {
        try await json.perform(operation, input, as: output)
    }

    /// Rejects a request before sending it.
    func invalid(_ operation: String, _ reason: String) -> AWSCallError {
        json.invalid(operation, reason)
    }
}
