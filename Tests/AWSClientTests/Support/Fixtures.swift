import AWSClient
import AWSSigV4
import Foundation
import Logging
import Synchronization

/// Values shared by the tests.
enum Fixtures {
    /// Timeout for credential sources talking to a local test server where the timeout itself is not
    /// under test: generous, because the whole suite runs in parallel on two cores and a loaded
    /// machine can be slow to answer even on loopback.
    static let localServerTimeout: Duration = .seconds(60)

    /// AWS's documentation example key pair (not a real account).
    static let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    /// A made-up session token, recognisable if it leaks.
    static let sessionToken = "FQoGZXIvYXdzEXAMPLETOKEN/gamefleet+test=="
    /// 2024-03-15T09:30:45Z.
    static let date = Date(timeIntervalSince1970: 1_710_495_045)

    /// A configuration over `transport` with fixed credentials and date, a test clock that
    /// never waits, and the given retry policy and random source.
    static func configuration(
        transport: any HTTPTransport,
        region: String = "us-east-1",
        credentials: AWSCredentials = Fixtures.credentials,
        retryPolicy: RetryPolicy = .standard,
        clock: TestClock = TestClock(),
        random: RandomSource = .constant(0.5),
        environment: [String: String] = [:],
        logger: Logger = Logger(label: "test")
    ) -> AWSClientConfiguration {
        AWSClientConfiguration(
            region: region,
            credentials: StaticCredentialProvider(credentials),
            transport: transport,
            environment: environment,
            retryPolicy: retryPolicy,
            timeout: .seconds(5),
            clock: clock,
            now: { Fixtures.date },
            random: random,
            logger: logger
        )
    }

    /// A 200 JSON response as ECS sends it.
    static func json(_ body: String) -> FakeHTTPTransport.Outcome {
        json(200, body)
    }

    /// A JSON response as ECS sends it.
    static func json(_ status: Int, _ body: String, requestID: String = "req-1") -> FakeHTTPTransport.Outcome {
        .respond(
            TransportResponse(
                status: status,
                headers: [
                    HTTPHeaderField(name: "Content-Type", value: "application/x-amz-json-1.1"),
                    HTTPHeaderField(name: "x-amzn-RequestId", value: requestID),
                ],
                text: body
            )
        )
    }

    /// An XML response as EC2 sends it.
    static func xml(_ status: Int = 200, body: String) -> FakeHTTPTransport.Outcome {
        .respond(TransportResponse(status: status, headers: [HTTPHeaderField(name: "Content-Type", value: "text/xml;charset=UTF-8")], text: body))
    }

    /// A random source that returns `values` in turn, then repeats the last.
    static func randoms(_ values: [Double]) -> RandomSource {
        let remaining = Mutex(values)
        return RandomSource {
            remaining.withLock { values in values.count > 1 ? values.removeFirst() : (values.first ?? 0) }
        }
    }

    /// The body of `request` as text.
    static func body(_ request: TransportRequest) -> String {
        String(decoding: request.body, as: UTF8.self)
    }

    /// The JSON object in the body of `request`.
    static func jsonBody(_ request: TransportRequest) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any] ?? [:]
    }
}
