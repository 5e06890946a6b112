import Foundation

/// Calls one service that speaks an AWS JSON protocol (JSON 1.0 for DynamoDB, JSON 1.1 for ECS):
/// every call is a signed `POST /` whose body is the request as a JSON object, with a
/// `Content-Type: application/x-amz-json-1.x` and an `X-Amz-Target: <prefix>.<Operation>` header.
///
/// The protocols differ only in those two header values, so the ECS and DynamoDB clients share
/// this caller (and through it the signer, retry policy, credentials and error typing of
/// ``AWSServiceCaller``).
struct AWSJSONCaller: Sendable {
    let caller: AWSServiceCaller
    /// E.g. `AmazonEC2ContainerServiceV20141113` or `DynamoDB_20120810`.
    let targetPrefix: String
    /// E.g. `application/x-amz-json-1.1`.
    let contentType: String

    init(service: AWSService, endpoint: AWSEndpoint, configuration: AWSClientConfiguration, targetPrefix: String, contentType: String) {
        self.caller = AWSServiceCaller(service: service, endpoint: endpoint, configuration: configuration)
        self.targetPrefix = targetPrefix
        self.contentType = contentType
    }

    var endpoint: AWSEndpoint { caller.endpoint }
    var serviceName: String { caller.service.signingName }

    /// Calls `operation` with `input` as its JSON body and decodes the answer as `Output`.
    ///
    /// Keys are written sorted and `nil` optionals left out, so the same input always gives the
    /// same bytes (and the same signature). Times in answers are read as epoch seconds.
    func perform<Output: Decodable>(_ operation: String, _ input: some Encodable, as output: Output.Type) async throws -> Output {
        let body: Data
        do {
            body = try Self.encoder.encode(input)
        } catch {
            throw invalid(operation, "cannot encode the request: \(error)")
        }
        let response = try await caller.call(
            operation: operation,
            headers: [
                HTTPHeaderField(name: "Content-Type", value: contentType),
                HTTPHeaderField(name: "X-Amz-Target", value: "\(targetPrefix).\(operation)"),
            ],
            body: Array(body)
        )
        do {
            return try Self.decoder.decode(Output.self, from: Data(response.body))
        } catch {
            throw AWSCallError(service: serviceName, operation: operation, reason: .malformedResponse(Self.describe(error)), attempts: 1)
        }
    }

    /// Rejects a request before sending it.
    func invalid(_ operation: String, _ reason: String) -> AWSCallError {
        AWSCallError(service: serviceName, operation: operation, reason: .invalidRequest(reason), attempts: 0)
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
