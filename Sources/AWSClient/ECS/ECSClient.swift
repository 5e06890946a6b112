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

    let caller: AWSServiceCaller

    /// The endpoint calls go to.
    public var endpoint: AWSEndpoint { caller.endpoint }

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
        self.caller = AWSServiceCaller(service: .ecs, endpoint: resolved, configuration: configuration)
    }

    /// Calls `operation` with `input` as its JSON body and decodes the answer as `Output`.
    ///
    /// Keys are written sorted and `nil` optionals left out, so the same input always gives the
    /// same bytes (and the same signature). Times in answers are read as epoch seconds.
    /// - Throws: ``AWSServiceError``, ``AWSCallError`` (including
    ///   ``AWSCallError/Reason/malformedResponse(_:)`` when the answer does not decode), or
    ///   ``CredentialsError``.
    public func perform<Output: Decodable>(_ operation: String, _ input: some Encodable, as output: Output.Type = Output.self) async throws -> Output {
        let body: Data
        do {
            body = try Self.encoder.encode(input)
        } catch {
            throw AWSCallError(service: "ecs", operation: operation, reason: .invalidRequest("cannot encode the request: \(error)"), attempts: 0)
        }
        let response = try await caller.call(
            operation: operation,
            headers: [
                HTTPHeaderField(name: "Content-Type", value: Self.contentType),
                HTTPHeaderField(name: "X-Amz-Target", value: "\(Self.targetPrefix).\(operation)"),
            ],
            body: Array(body)
        )
        do {
            return try Self.decoder.decode(Output.self, from: Data(response.body))
        } catch {
            throw AWSCallError(service: "ecs", operation: operation, reason: .malformedResponse(Self.describe(error)), attempts: 1)
        }
    }

    /// Rejects a request before sending it.
    func invalid(_ operation: String, _ reason: String) -> AWSCallError {
        AWSCallError(service: "ecs", operation: operation, reason: .invalidRequest(reason), attempts: 0)
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }

    /// A short account of a decoding error: which field, and what was wrong, without the body.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \(path(context)).\(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "unexpected value at \(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "invalid JSON at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
