import Foundation

/// A client for the Amazon EC2 API (query protocol): every call is a signed `POST /` with a
/// form-encoded body `Action=<Operation>&Version=2016-11-15&…`, answered in XML.
///
/// The operations gamefleet uses are methods in the `EC2Client+…` files. Calls retry under the
/// configuration's ``RetryPolicy``, and all calls of one client share its retry token bucket.
public struct EC2Client: Sendable {
    /// The EC2 API version every request names.
    public static let apiVersion = "2016-11-15"
    /// The form content type.
    public static let contentType = "application/x-www-form-urlencoded; charset=utf-8"

    let caller: AWSServiceCaller

    /// The endpoint calls go to.
    public var endpoint: AWSEndpoint { caller.endpoint }

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: region, credentials, transport and the rest.
    ///   - endpoint: an explicit endpoint URL, which beats `AWS_ENDPOINT_URL_EC2` and
    ///     `AWS_ENDPOINT_URL`; `nil` to use those or the default `https://ec2.REGION.amazonaws.com`.
    /// - Throws: ``AWSEndpoint/InvalidURL`` when the chosen endpoint is not a usable URL.
    public init(configuration: AWSClientConfiguration, endpoint: String? = nil) throws {
        let resolved = try AWSEndpoint.resolve(
            for: .ec2,
            region: configuration.region,
            explicit: endpoint,
            environment: configuration.environment
        )
        self.caller = AWSServiceCaller(service: .ec2, endpoint: resolved, configuration: configuration)
    }

    /// Sends `form` and returns the root element of the XML answer.
    func perform(_ form: QueryForm) async throws -> XMLTree {
        let operation = form.fields.first { $0.name == "Action" }?.value ?? "?"
        let response = try await caller.call(
            operation: operation,
            headers: [HTTPHeaderField(name: "Content-Type", value: Self.contentType)],
            body: Array(form.encoded.utf8)
        )
        do {
            return try XMLTree.parse(response.body)
        } catch {
            throw malformed(operation, "\(error)")
        }
    }

    /// A form for `action` of this API version.
    func form(_ action: String) -> QueryForm {
        QueryForm(action: action, version: Self.apiVersion)
    }

    func malformed(_ operation: String, _ detail: String) -> AWSCallError {
        AWSCallError(service: "ec2", operation: operation, reason: .malformedResponse(detail), attempts: 1)
    }

    func invalid(_ operation: String, _ detail: String) -> AWSCallError {
        AWSCallError(service: "ec2", operation: operation, reason: .invalidRequest(detail), attempts: 0)
    }
}
