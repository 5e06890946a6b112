import AWSSigV4
import Foundation
import Logging

/// Makes calls to one AWS service endpoint: builds the request, signs it, sends it, retries
/// it under the ``RetryPolicy``, turns failures into ``AWSServiceError`` or ``AWSCallError``,
/// and logs each attempt. The ECS and EC2 clients differ only in how they write bodies and
/// read results, which they do around this.
struct AWSServiceCaller: Sendable {
    let service: AWSService
    let endpoint: AWSEndpoint
    let configuration: AWSClientConfiguration
    let signer: SigV4Signer
    let bucket: RetryTokenBucket

    /// The `User-Agent` sent with every call. It is not signed (proxies may append to it).
    static let userAgent = "gamefleet-awsclient/1.0"

    init(service: AWSService, endpoint: AWSEndpoint, configuration: AWSClientConfiguration) {
        self.service = service
        self.endpoint = endpoint
        self.configuration = configuration
        self.signer = SigV4Signer(region: configuration.region, service: service.signingName)
        self.bucket = RetryTokenBucket(capacity: configuration.retryPolicy.bucketCapacity)
    }

    /// The signed request for one attempt of a `POST /` with `headers` (after `Host`) and `body`.
    func signedRequest(headers: [HTTPHeaderField], body: [UInt8], credentials: AWSCredentials, date: Date) -> TransportRequest {
        signedRequest(Shape(method: "POST", path: "/", query: [], headers: headers, body: body), credentials: credentials, date: date)
    }

    /// What one call sends, before signing: the JSON and query protocols always `POST /`; S3's REST
    /// protocol names the object in the path and uses the method.
    struct Shape: Sendable {
        var method: String
        /// The path on the endpoint as sent on the wire (already percent-encoded), starting with `/`.
        var path: String
        /// Decoded query parameters, in sending order.
        var query: [SignableRequest.QueryItem]
        var headers: [HTTPHeaderField]
        var body: [UInt8]
        /// Another endpoint than the caller's (S3's virtual-hosted bucket host); nil for the caller's.
        var endpoint: AWSEndpoint?
    }

    /// The signed request for one attempt of `shape`: `Host` first, then the shape's headers, then
    /// `User-Agent` (unsigned); the signer adds its own.
    func signedRequest(_ shape: Shape, credentials: AWSCredentials, date: Date) -> TransportRequest {
        let endpoint = shape.endpoint ?? self.endpoint
        let unsigned = SignableRequest(
            method: shape.method,
            path: endpoint.basePath + shape.path,
            query: .items(shape.query),
            headers: [SignableRequest.Header(name: "Host", value: endpoint.hostHeader)]
                + shape.headers.map { SignableRequest.Header(name: $0.name, value: $0.value) }
                + [SignableRequest.Header(name: "User-Agent", value: Self.userAgent)],
            body: shape.body
        )
        let signed = signer.signedRequest(for: unsigned, credentials: credentials, date: date)
        let query = signed.encodedQuery
        return TransportRequest(
            method: signed.method,
            url: endpoint.url(path: shape.path) + (query.isEmpty ? "" : "?" + query),
            headers: signed.headers.map { HTTPHeaderField(name: $0.name, value: $0.value) },
            body: signed.body
        )
    }

    /// Sends `operation` as a `POST /` with `headers` and `body` until it succeeds or the retry
    /// policy gives up, and returns the 2xx response.
    /// - Throws: ``AWSServiceError`` for an AWS error answer, ``AWSCallError`` for the rest, each
    ///   from the last attempt and with the number of attempts made; ``CredentialsError`` when
    ///   there is nothing to sign with; `CancellationError` when the task is cancelled.
    func call(operation: String, headers: [HTTPHeaderField], body: [UInt8]) async throws -> TransportResponse {
        try await call(operation: operation, Shape(method: "POST", path: "/", query: [], headers: headers, body: body))
    }

    /// Sends `shape` as `operation` until it succeeds or the retry policy gives up: one signing,
    /// retry and error path for every protocol. A status in `accepting` (S3's 304 Not Modified)
    /// is returned like a 2xx.
    func call(operation: String, _ shape: Shape, accepting: Set<Int> = []) async throws -> TransportResponse {
        let policy = configuration.retryPolicy
        var attempt = 1
        var lastRetryCost: Int?
        while true {
            try Task.checkCancellation()
            let credentials = try await configuration.credentials.credentials()
            let request = signedRequest(shape, credentials: credentials, date: configuration.now())
            let (outcome, duration) = await Self.timed(configuration.clock) {
                await self.attempt(request, operation: operation, accepting: accepting)
            }
            let failure: any Error
            switch outcome {
            case .success(let response):
                log(operation: operation, attempt: attempt, duration: duration, status: response.status, requestID: Self.requestID(response))
                // A call that needed retries gives back what its last retry took; one that
                // did not adds the success refund, so quiet periods refill the bucket.
                await bucket.refund(lastRetryCost ?? policy.successRefund)
                return response
            case .failure(let error):
                if error is CancellationError { throw error }
                log(operation: operation, attempt: attempt, duration: duration, failure: error)
                failure = error
            }

            let kind = RetryPolicy.classify(failure)
            guard attempt < policy.maxAttempts, let cost = policy.cost(of: kind) else {
                throw Self.stamped(failure, attempts: attempt)
            }
            guard await bucket.acquire(cost) else {
                configuration.logger.debug(
                    "aws retry quota exhausted; not retrying",
                    metadata: ["aws.service": "\(service.signingName)", "aws.operation": "\(operation)", "aws.attempt": "\(attempt)"]
                )
                throw Self.stamped(failure, attempts: attempt)
            }
            lastRetryCost = cost
            let delay = policy.backoff(beforeRetry: attempt, unitRandom: configuration.random.next())
            try await configuration.clock.sleep(for: delay)
            attempt += 1
        }
    }

    /// One attempt: the 2xx response, or the error it stands for.
    private func attempt(_ request: TransportRequest, operation: String, accepting: Set<Int>) async -> Result<TransportResponse, any Error> {
        let response: TransportResponse
        do {
            response = try await configuration.transport.send(request, timeout: configuration.timeout)
        } catch is CancellationError {
            return .failure(CancellationError())
        } catch let error as TransportError {
            return .failure(AWSCallError(service: service.signingName, operation: operation, reason: .transport(error), attempts: 1))
        } catch {
            // A transport is expected to throw only TransportError; anything else is kept
            // readable but not retried, since nothing says it would pass.
            return .failure(
                AWSCallError(service: service.signingName, operation: operation, reason: .malformedResponse("transport error: \(error)"), attempts: 1)
            )
        }
        if response.isSuccess || accepting.contains(response.status) {
            return .success(response)
        }
        switch AWSErrorBody(response) {
        case .aws(let code, let message, let requestID):
            return .failure(
                AWSServiceError(
                    service: service.signingName,
                    operation: operation,
                    statusCode: response.status,
                    code: code,
                    message: message,
                    requestID: requestID
                )
            )
        case .other(let contentType, let excerpt):
            return .failure(
                AWSCallError(
                    service: service.signingName,
                    operation: operation,
                    reason: .notAnAWSError(statusCode: response.status, contentType: contentType, excerpt: excerpt),
                    attempts: 1
                )
            )
        }
    }

    /// `error` with its attempt count set to `attempts`.
    private static func stamped(_ error: any Error, attempts: Int) -> any Error {
        switch error {
        case var error as AWSServiceError:
            error.attempts = attempts
            return error
        case var error as AWSCallError:
            error.attempts = attempts
            return error
        default:
            return error
        }
    }

    static func requestID(_ response: TransportResponse) -> String? {
        response.headers.value(for: "x-amzn-RequestId") ?? response.headers.value(for: "x-amz-request-id")
    }

    /// The result of `work` and how long it took on `clock`.
    private static func timed<C: Clock, T>(_ clock: C, _ work: () async -> T) async -> (T, Duration) where C.Duration == Duration {
        let start = clock.now
        let result = await work()
        return (result, start.duration(to: clock.now))
    }

    private func log(operation: String, attempt: Int, duration: Duration, status: Int, requestID: String?) {
        var metadata: Logger.Metadata = [
            "aws.service": "\(service.signingName)",
            "aws.operation": "\(operation)",
            "aws.attempt": "\(attempt)",
            "http.status": "\(status)",
            "duration_ms": "\(Self.milliseconds(duration))",
        ]
        if let requestID {
            metadata["aws.request_id"] = "\(requestID)"
        }
        configuration.logger.debug("aws call", metadata: metadata)
    }

    private func log(operation: String, attempt: Int, duration: Duration, failure: any Error) {
        var metadata: Logger.Metadata = [
            "aws.service": "\(service.signingName)",
            "aws.operation": "\(operation)",
            "aws.attempt": "\(attempt)",
            "duration_ms": "\(Self.milliseconds(duration))",
        ]
        switch failure {
        case let error as AWSServiceError:
            metadata["http.status"] = "\(error.statusCode)"
            metadata["aws.error_code"] = "\(error.code)"
            if let requestID = error.requestID {
                metadata["aws.request_id"] = "\(requestID)"
            }
        case let error as AWSCallError:
            if case .notAnAWSError(let statusCode, _, _) = error.reason {
                metadata["http.status"] = "\(statusCode)"
            }
            metadata["error"] = "\(error.reason)"
        default:
            metadata["error"] = "\(failure)"
        }
        configuration.logger.debug("aws call failed", metadata: metadata)
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
