@testable import AWSClient
import Testing

/// How failed responses are read: JSON and XML AWS errors, and bodies that are neither.
@Suite("Error decoding")
struct ErrorDecodingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var status: Int
        var headers: [HTTPHeaderField] = []
        var body: String
        var expected: AWSErrorBody
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "JSON with a namespaced __type",
            status: 400,
            headers: [.init(name: "x-amzn-RequestId", value: "abc-123")],
            body: #"{"__type":"com.amazonaws.ecs#ClusterNotFoundException","message":"Cluster not found."}"#,
            expected: .aws(code: "ClusterNotFoundException", message: "Cluster not found.", requestID: "abc-123")
        ),
        Case(
            name: "JSON with a bare __type and a capitalised Message (moto's style)",
            status: 400,
            body: #"{"__type": "InvalidParameterException", "Message": "Tasks cannot be empty."}"#,
            expected: .aws(code: "InvalidParameterException", message: "Tasks cannot be empty.", requestID: nil)
        ),
        Case(
            name: "JSON code from X-Amzn-ErrorType with a URL suffix",
            status: 400,
            headers: [.init(name: "X-Amzn-ErrorType", value: "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/")],
            body: #"{"message":"Rate exceeded"}"#,
            expected: .aws(code: "ThrottlingException", message: "Rate exceeded", requestID: nil)
        ),
        Case(
            name: "JSON with a code field",
            status: 500,
            body: #"{"code":"ServerException","message":"boom"}"#,
            expected: .aws(code: "ServerException", message: "boom", requestID: nil)
        ),
        Case(
            name: "EC2 XML error with RequestID",
            status: 400,
            body: """
                <?xml version="1.0" encoding="UTF-8"?>
                <Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID 'i-1' does not exist</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>
                """,
            expected: .aws(code: "InvalidInstanceID.NotFound", message: "The instance ID 'i-1' does not exist", requestID: "ea966190-f9aa-478e-9ede-example")
        ),
        Case(
            name: "Query-protocol ErrorResponse with RequestId and entities",
            status: 400,
            body: """
                <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
                  <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate &amp; burst &lt;exceeded&gt;</Message></Error>
                  <RequestId>req-42</RequestId>
                </ErrorResponse>
                """,
            expected: .aws(code: "Throttling", message: "Rate & burst <exceeded>", requestID: "req-42")
        ),
        Case(
            name: "The header request id wins over the XML one",
            status: 503,
            headers: [.init(name: "x-amzn-RequestId", value: "header-id")],
            body: "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>slow</Message></Error></Errors><RequestID>body-id</RequestID></Response>",
            expected: .aws(code: "RequestLimitExceeded", message: "slow", requestID: "header-id")
        ),
        Case(
            name: "moto's HTML 500",
            status: 500,
            headers: [.init(name: "Content-Type", value: "text/html; charset=utf-8")],
            body: """
                <!doctype html>
                <html lang=en>
                <title>500 Internal Server Error</title>
                <h1>Internal Server Error</h1>
                <p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>
                """,
            expected: .other(
                contentType: "text/html; charset=utf-8",
                excerpt: "500 Internal Server Error Internal Server Error The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the applicatio…"
            )
        ),
        Case(
            name: "Plain text from a proxy",
            status: 502,
            body: "Bad Gateway\n",
            expected: .other(contentType: nil, excerpt: "Bad Gateway")
        ),
        Case(name: "Empty body", status: 503, body: "", expected: .other(contentType: nil, excerpt: "")),
        Case(
            name: "JSON without any code",
            status: 500,
            body: #"{"message":"something"}"#,
            expected: .other(contentType: nil, excerpt: #"{"message":"something"}"#)
        ),
        Case(
            name: "XML without a Code element",
            status: 500,
            body: "<Oops><Reason>no code</Reason></Oops>",
            expected: .other(contentType: nil, excerpt: "no code")
        ),
        Case(
            name: "Truncated JSON",
            status: 500,
            body: #"{"__type":"Serv"#,
            expected: .other(contentType: nil, excerpt: #"{"__type":"Serv"#)
        ),
    ]

    @Test("Failed bodies are read the AWS way or kept as an excerpt", arguments: cases)
    func decode(testCase: Case) {
        let response = TransportResponse(status: testCase.status, headers: testCase.headers, text: testCase.body)
        #expect(AWSErrorBody(response) == testCase.expected)
    }

    @Test("Code prefixes and suffixes are stripped", arguments: [
        ("com.amazonaws.ecs#ClientException", "ClientException"),
        ("aws.protocoltests#Deep#Name", "Name"),
        ("ThrottlingException:http://internal/", "ThrottlingException"),
        ("ns#Code:suffix", "Code"),
        ("Plain", "Plain"),
    ])
    func bareCode(raw: String, bare: String) {
        #expect(AWSErrorBody.bareCode(raw) == bare)
    }

    @Test("A non-AWS 500 through the client says so, with status and excerpt")
    func htmlThroughClient() async throws {
        let html = TransportResponse(
            status: 500,
            headers: [HTTPHeaderField(name: "Content-Type", value: "text/html; charset=utf-8")],
            text: "<!doctype html><html><title>500 Internal Server Error</title><h1>Internal Server Error</h1></html>"
        )
        let transport = FakeHTTPTransport([.respond(html), .respond(html), .respond(html)])
        let ecs = try ECSClient(configuration: Fixtures.configuration(transport: transport))

        let error = try await #require(throws: AWSCallError.self) {
            try await ecs.runTask(ECSRunTaskRequest(cluster: "c", taskDefinition: "td"))
        }
        #expect(error.operation == "RunTask")
        #expect(error.attempts == 3)
        #expect(error.reason == .notAnAWSError(statusCode: 500, contentType: "text/html; charset=utf-8", excerpt: "500 Internal Server Error Internal Server Error"))
        #expect(
            error.description
                == "ecs RunTask failed after 3 attempts: HTTP 500 with a body that is not an AWS error (text/html; charset=utf-8): 500 Internal Server Error Internal Server Error"
        )
    }

    @Test("An EC2 XML error through the client becomes an AWSServiceError")
    func ec2ErrorThroughClient() async throws {
        let transport = FakeHTTPTransport([
            Fixtures.xml(
                400,
                body: "<Response><Errors><Error><Code>InvalidInstanceID.Malformed</Code><Message>Invalid id: \"x\"</Message></Error></Errors><RequestID>r-9</RequestID></Response>"
            )
        ])
        let ec2 = try EC2Client(configuration: Fixtures.configuration(transport: transport))

        let error = try await #require(throws: AWSServiceError.self) {
            try await ec2.describeInstances(ids: ["x"])
        }
        #expect(error == AWSServiceError(service: "ec2", operation: "DescribeInstances", statusCode: 400, code: "InvalidInstanceID.Malformed", message: "Invalid id: \"x\"", requestID: "r-9", attempts: 1))
        #expect(error.description == #"ec2 DescribeInstances failed after 1 attempt: HTTP 400 InvalidInstanceID.Malformed: Invalid id: "x" (request id r-9)"#)
    }
}
