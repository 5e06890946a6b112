import AWSClient
import Testing

/// The standard retry mode, driven through the ECS client with a fake transport, a test clock
/// that records sleeps instead of sleeping, and a chosen random source.
@Suite("Retries")
struct RetryTests {
    static let listTasksOK = Fixtures.json(#"{"taskArns":["arn:aws:ecs:us-east-1:123456789012:task/gamefleet/1"]}"#)

    static func throttled(_ code: String = "ThrottlingException") -> FakeHTTPTransport.Outcome {
        Fixtures.json(400, #"{"__type":"com.amazonaws.ecs#\#(code)","message":"Rate exceeded"}"#)
    }

    static let serverError = Fixtures.json(500, #"{"__type":"ServerException","message":"Service unavailable"}"#)

    func client(_ transport: FakeHTTPTransport, policy: RetryPolicy = .standard, clock: TestClock = TestClock(), random: RandomSource = .constant(0.5)) throws -> ECSClient {
        try ECSClient(configuration: Fixtures.configuration(transport: transport, retryPolicy: policy, clock: clock, random: random))
    }

    @Test("Throttling, then success: retried after a jittered wait", arguments: [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "EC2ThrottledException",
    ])
    func throttlingThenSuccess(code: String) async throws {
        let transport = FakeHTTPTransport([Self.throttled(code), Self.listTasksOK])
        let clock = TestClock()
        let ecs = try client(transport, clock: clock, random: .constant(0.25))

        let arns = try await ecs.listTasks(ECSListTasksRequest(cluster: "gamefleet"))

        #expect(arns == ["arn:aws:ecs:us-east-1:123456789012:task/gamefleet/1"])
        #expect(transport.requests.count == 2)
        // First retry: 0.25 × min(20 s, 1 s × 2^0).
        #expect(clock.sleeps == [.milliseconds(250)])
    }

    @Test("5xx twice, then success on the third and last attempt")
    func serverErrorsThenSuccess() async throws {
        let transport = FakeHTTPTransport([Self.serverError, Self.serverError, Self.listTasksOK])
        let clock = TestClock()
        let ecs = try client(transport, clock: clock, random: .constant(0.5))

        let arns = try await ecs.listTasks(ECSListTasksRequest())

        #expect(arns.count == 1)
        #expect(transport.requests.count == 3)
        #expect(clock.sleeps == [.milliseconds(500), .seconds(1)])
    }

    @Test("Transient failures without an AWS answer are retried", arguments: [
        FakeHTTPTransport.Outcome.fail(TransportError.timedOut(after: .seconds(5))),
        .fail(TransportError.connectionFailed("connection reset by peer")),
        .respond(TransportResponse(status: 502, headers: [HTTPHeaderField(name: "Content-Type", value: "text/html")], text: "<html><body>Bad Gateway</body></html>")),
        .respond(TransportResponse(status: 503, text: "")),
        Fixtures.json(400, #"{"__type":"RequestTimeoutException","message":"slow"}"#),
        Fixtures.json(400, #"{"__type":"PriorRequestNotComplete"}"#),
        Fixtures.json(429, #"{"__type":"SomethingNew","message":"slow down"}"#),
    ])
    func transientThenSuccess(first: FakeHTTPTransport.Outcome) async throws {
        let transport = FakeHTTPTransport([first, Self.listTasksOK])
        let ecs = try client(transport)

        _ = try await ecs.listTasks(ECSListTasksRequest())

        #expect(transport.requests.count == 2)
    }

    @Test("Exhausting the attempts reports the last error, its operation and the attempt count")
    func exhausted() async throws {
        let transport = FakeHTTPTransport([
            Self.serverError, Self.serverError,
            Fixtures.json(503, #"{"__type":"ServiceUnavailableException","message":"third time"}"#, requestID: "req-3"),
        ])
        let ecs = try client(transport)

        let error = try await #require(throws: AWSServiceError.self) {
            try await ecs.describeTasks(cluster: "gamefleet", tasks: ["arn:task/1"])
        }

        #expect(error.operation == "DescribeTasks")
        #expect(error.service == "ecs")
        #expect(error.statusCode == 503)
        #expect(error.code == "ServiceUnavailableException")
        #expect(error.message == "third time")
        #expect(error.requestID == "req-3")
        #expect(error.attempts == 3)
        #expect(error.description.contains("DescribeTasks failed after 3 attempts"))
        #expect(transport.requests.count == 3)
    }

    @Test("Exhausted timeouts surface as an AWSCallError naming the operation")
    func exhaustedTimeouts() async throws {
        let timeout = FakeHTTPTransport.Outcome.fail(TransportError.timedOut(after: .seconds(5)))
        let transport = FakeHTTPTransport([timeout, timeout, timeout])
        let ecs = try client(transport)

        let error = try await #require(throws: AWSCallError.self) {
            try await ecs.stopTask(cluster: "gamefleet", task: "t-1", reason: "test")
        }

        #expect(error.operation == "StopTask")
        #expect(error.reason == .transport(.timedOut(after: .seconds(5))))
        #expect(error.attempts == 3)
    }

    @Test("Client errors are not retried", arguments: [
        Fixtures.json(400, #"{"__type":"com.amazonaws.ecs#ClusterNotFoundException","message":"Cluster not found."}"#),
        Fixtures.json(400, #"{"__type":"InvalidParameterException","message":"bad"}"#),
        Fixtures.json(403, #"{"__type":"AccessDeniedException","message":"no"}"#),
        Fixtures.json(400, #"{"__type":"ClientException","message":"nope"}"#),
        FakeHTTPTransport.Outcome.respond(TransportResponse(status: 404, text: "<html>Not Found</html>")),
    ])
    func clientErrorsNotRetried(outcome: FakeHTTPTransport.Outcome) async throws {
        let transport = FakeHTTPTransport([outcome, Self.listTasksOK])
        let clock = TestClock()
        let ecs = try client(transport, clock: clock)

        await #expect(throws: (any Error).self) {
            try await ecs.listTasks(ECSListTasksRequest())
        }
        #expect(transport.requests.count == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test("A success body that does not decode is not retried")
    func malformedSuccessNotRetried() async throws {
        let transport = FakeHTTPTransport([Fixtures.json(#"{"taskArns": 42}"#), Self.listTasksOK])
        let ecs = try client(transport)

        let error = try await #require(throws: AWSCallError.self) {
            try await ecs.listTasks(ECSListTasksRequest())
        }
        guard case .malformedResponse(let detail) = error.reason else {
            Issue.record("expected malformedResponse, got \(error.reason)")
            return
        }
        #expect(detail.contains("taskArns"))
        #expect(transport.requests.count == 1)
    }

    @Test("A drained token bucket stops retries; successes refill it")
    func tokenBucketDrains() async throws {
        // Room for exactly one retry (cost 5) at a time.
        let transport = FakeHTTPTransport()
        let ecs = try client(transport, policy: RetryPolicy(bucketCapacity: 5))

        // Fails, retries once (5 → 0 tokens), fails again and may not retry a second time.
        transport.enqueue(Self.serverError, Self.serverError)
        let first = try await #require(throws: AWSServiceError.self) { try await ecs.listTasks(ECSListTasksRequest()) }
        #expect(first.attempts == 2)
        #expect(transport.requests.count == 2)

        // The bucket is empty: one attempt only.
        transport.enqueue(Self.serverError)
        let second = try await #require(throws: AWSServiceError.self) { try await ecs.listTasks(ECSListTasksRequest()) }
        #expect(second.attempts == 1)
        #expect(transport.requests.count == 3)

        // A first-attempt success puts back 1 token; still short of a retry's 5.
        transport.enqueue(Self.listTasksOK, Self.serverError)
        _ = try await ecs.listTasks(ECSListTasksRequest())
        let third = try await #require(throws: AWSServiceError.self) { try await ecs.listTasks(ECSListTasksRequest()) }
        #expect(third.attempts == 1)

        // Four more successes make 5 tokens: the next failure is retried again.
        for _ in 0..<4 {
            transport.enqueue(Self.listTasksOK)
            _ = try await ecs.listTasks(ECSListTasksRequest())
        }
        transport.enqueue(Self.serverError, Self.listTasksOK)
        let before = transport.requests.count
        _ = try await ecs.listTasks(ECSListTasksRequest())
        #expect(transport.requests.count == before + 2)

        // A success after a retry gives back that retry's 5 tokens, so the next one can retry too.
        transport.enqueue(Self.serverError, Self.listTasksOK)
        _ = try await ecs.listTasks(ECSListTasksRequest())
        #expect(transport.requests.count == before + 4)
        #expect(transport.remainingOutcomes == 0)
    }

    @Test("Timeouts cost more tokens than other retries")
    func timeoutsCostMore() async throws {
        // 10 tokens: two ordinary retries, or one after a timeout.
        let policy = RetryPolicy(maxAttempts: 5, bucketCapacity: 10)
        let timeout = FakeHTTPTransport.Outcome.fail(TransportError.timedOut(after: .seconds(5)))
        let transport = FakeHTTPTransport([timeout, timeout, timeout])
        let ecs = try client(transport, policy: policy)

        let error = try await #require(throws: AWSCallError.self) { try await ecs.listTasks(ECSListTasksRequest()) }
        #expect(error.attempts == 2)

        let bucket = RetryTokenBucket(capacity: 10)
        #expect(await bucket.acquire(policy.cost(of: .transient)!))
        #expect(await bucket.acquire(policy.cost(of: .throttling)!))
        #expect(await !bucket.acquire(1))
        await bucket.refund(100)
        #expect(await bucket.available == 10)
    }

    @Test("maxAttempts 1 turns retries off")
    func noRetries() async throws {
        let transport = FakeHTTPTransport([Self.serverError, Self.listTasksOK])
        let ecs = try client(transport, policy: .none)

        await #expect(throws: AWSServiceError.self) { try await ecs.listTasks(ECSListTasksRequest()) }
        #expect(transport.requests.count == 1)
    }

    struct BackoffCase: Sendable, CustomTestStringConvertible {
        var retry: Int
        var bound: Duration
        var testDescription: String { "retry \(retry): [0, \(bound))" }
    }

    @Test("Backoff stays in the full-jitter bounds [0, min(20 s, 1 s × 2^(retry−1)))", arguments: [
        BackoffCase(retry: 1, bound: .seconds(1)),
        BackoffCase(retry: 2, bound: .seconds(2)),
        BackoffCase(retry: 3, bound: .seconds(4)),
        BackoffCase(retry: 5, bound: .seconds(16)),
        BackoffCase(retry: 6, bound: .seconds(20)),
        BackoffCase(retry: 40, bound: .seconds(20)),
        BackoffCase(retry: 1000, bound: .seconds(20)),
    ])
    func backoffBounds(testCase: BackoffCase) {
        let policy = RetryPolicy.standard
        #expect(policy.backoffBound(beforeRetry: testCase.retry) == testCase.bound)
        #expect(policy.backoff(beforeRetry: testCase.retry, unitRandom: 0) == .zero)
        let top = policy.backoff(beforeRetry: testCase.retry, unitRandom: 1.0.nextDown)
        #expect(top < testCase.bound)
        #expect(top > testCase.bound * 0.999)
        // Out-of-range randomness is clamped rather than trusted.
        #expect(policy.backoff(beforeRetry: testCase.retry, unitRandom: 7) < testCase.bound)
        #expect(policy.backoff(beforeRetry: testCase.retry, unitRandom: -1) == .zero)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let wait = policy.backoff(beforeRetry: testCase.retry, unitRandom: Double.random(in: 0..<1, using: &generator))
            #expect(wait >= .zero && wait < testCase.bound)
        }
    }

    @Test("The waits of one call use successive random draws and growing bounds")
    func waitsFollowRandomDraws() async throws {
        let policy = RetryPolicy(maxAttempts: 4)
        let transport = FakeHTTPTransport([Self.serverError, Self.serverError, Self.serverError, Self.listTasksOK])
        let clock = TestClock()
        let ecs = try client(transport, policy: policy, clock: clock, random: Fixtures.randoms([0.9, 0.1, 0.5]))

        _ = try await ecs.listTasks(ECSListTasksRequest())

        #expect(clock.sleeps == [.milliseconds(900), .milliseconds(200), .seconds(2)])
    }

    @Test("Every attempt is signed afresh and sent with the call timeout")
    func attemptsAreResigned() async throws {
        let transport = FakeHTTPTransport([Self.serverError, Self.listTasksOK])
        let ecs = try client(transport)

        _ = try await ecs.listTasks(ECSListTasksRequest())

        #expect(transport.requests.count == 2)
        #expect(transport.requests.allSatisfy { $0.headers.value(for: "Authorization") != nil })
        #expect(transport.timeouts == [.seconds(5), .seconds(5)])
    }

    @Test("Classification of failures", arguments: [
        (AWSServiceError(service: "ecs", operation: "X", statusCode: 400, code: "ThrottlingException", message: "") as any Error, RetryPolicy.Failure.throttling),
        (AWSServiceError(service: "ec2", operation: "X", statusCode: 503, code: "RequestLimitExceeded", message: ""), .throttling),
        (AWSServiceError(service: "ecs", operation: "X", statusCode: 500, code: "ServerException", message: ""), .transient),
        (AWSServiceError(service: "ecs", operation: "X", statusCode: 400, code: "RequestTimeout", message: ""), .transient),
        (AWSServiceError(service: "ecs", operation: "X", statusCode: 400, code: "ClientException", message: ""), .notRetryable),
        (AWSServiceError(service: "ecs", operation: "X", statusCode: 429, code: "Whatever", message: ""), .throttling),
        (AWSCallError(service: "ecs", operation: "X", reason: .transport(.timedOut(after: .seconds(1))), attempts: 1), .timeout),
        (AWSCallError(service: "ecs", operation: "X", reason: .transport(.connectionFailed("refused")), attempts: 1), .transient),
        (AWSCallError(service: "ecs", operation: "X", reason: .transport(.responseTooLarge(limit: 10)), attempts: 1), .notRetryable),
        (AWSCallError(service: "ecs", operation: "X", reason: .notAnAWSError(statusCode: 500, contentType: "text/html", excerpt: ""), attempts: 1), .transient),
        (AWSCallError(service: "ecs", operation: "X", reason: .notAnAWSError(statusCode: 404, contentType: nil, excerpt: ""), attempts: 1), .notRetryable),
        (AWSCallError(service: "ecs", operation: "X", reason: .malformedResponse("x"), attempts: 1), .notRetryable),
        (CancellationError(), .notRetryable),
    ])
    func classification(error: any Error, expected: RetryPolicy.Failure) {
        #expect(RetryPolicy.classify(error) == expected)
    }
}
