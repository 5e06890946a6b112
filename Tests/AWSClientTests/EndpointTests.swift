import AWSClient
import Testing

/// Which endpoint a client talks to.
@Suite("Endpoints")
struct EndpointTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var service: AWSService
        var region: String = "eu-west-1"
        var explicit: String?
        var environment: [String: String] = [:]
        var expected: String
        var hostHeader: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "ECS default", service: .ecs, expected: "https://ecs.eu-west-1.amazonaws.com", hostHeader: "ecs.eu-west-1.amazonaws.com"),
        Case(name: "EC2 default", service: .ec2, region: "us-east-2", expected: "https://ec2.us-east-2.amazonaws.com", hostHeader: "ec2.us-east-2.amazonaws.com"),
        Case(name: "China partition", service: .ecs, region: "cn-north-1", expected: "https://ecs.cn-north-1.amazonaws.com.cn", hostHeader: "ecs.cn-north-1.amazonaws.com.cn"),
        Case(
            name: "Global variable",
            service: .ecs,
            environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:5000"],
            expected: "http://127.0.0.1:5000",
            hostHeader: "127.0.0.1:5000"
        ),
        Case(
            name: "Service variable beats the global one",
            service: .ecs,
            environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_ECS": "http://localhost:4566/"],
            expected: "http://localhost:4566",
            hostHeader: "localhost:4566"
        ),
        Case(
            name: "Another service's variable does not apply",
            service: .ec2,
            environment: ["AWS_ENDPOINT_URL_ECS": "http://127.0.0.1:1"],
            expected: "https://ec2.eu-west-1.amazonaws.com",
            hostHeader: "ec2.eu-west-1.amazonaws.com"
        ),
        Case(
            name: "Explicit beats both variables",
            service: .ecs,
            explicit: "https://ecs-fips.eu-west-1.amazonaws.com",
            environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_ECS": "http://127.0.0.1:5001"],
            expected: "https://ecs-fips.eu-west-1.amazonaws.com",
            hostHeader: "ecs-fips.eu-west-1.amazonaws.com"
        ),
        Case(
            name: "Empty values count as unset",
            service: .ec2,
            explicit: "",
            environment: ["AWS_ENDPOINT_URL_EC2": "", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"],
            expected: "http://127.0.0.1:9",
            hostHeader: "127.0.0.1:9"
        ),
        Case(
            name: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS drops the variables",
            service: .ecs,
            environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"],
            expected: "https://ecs.eu-west-1.amazonaws.com",
            hostHeader: "ecs.eu-west-1.amazonaws.com"
        ),
        Case(name: "Default ports are left out of Host", service: .ecs, explicit: "https://example.com:443", expected: "https://example.com", hostHeader: "example.com"),
        Case(name: "Base path kept", service: .ecs, explicit: "http://127.0.0.1:8080/aws/", expected: "http://127.0.0.1:8080/aws", hostHeader: "127.0.0.1:8080"),
        Case(name: "IPv6 literal", service: .ecs, explicit: "http://[::1]:5000", expected: "http://[::1]:5000", hostHeader: "[::1]:5000"),
    ]

    @Test("Resolution order: explicit, service variable, global variable, default", arguments: cases)
    func resolve(testCase: Case) throws {
        let endpoint = try AWSEndpoint.resolve(for: testCase.service, region: testCase.region, explicit: testCase.explicit, environment: testCase.environment)
        #expect(endpoint.description == testCase.expected)
        #expect(endpoint.hostHeader == testCase.hostHeader)
    }

    @Test("Unusable URLs are errors, not skipped", arguments: [
        ("ftp://example.com", "the scheme must be http or https"),
        ("example.com:5000", "the scheme must be http or https"),
        ("not a url", "not an absolute URL"),
        ("http://", "no host"),
        ("http://127.0.0.1:5000/?x=1", "a query or fragment is not allowed"),
    ])
    func invalid(url: String, reason: String) {
        #expect {
            try AWSEndpoint.resolve(for: .ecs, region: "us-east-1", explicit: nil, environment: ["AWS_ENDPOINT_URL_ECS": url])
        } throws: { error in
            let invalid = error as? AWSEndpoint.InvalidURL
            return invalid?.reason == reason && invalid?.origin == "AWS_ENDPOINT_URL_ECS"
        }
    }

    @Test("Clients send to the resolved endpoint with a matching Host header")
    func clientsUseEndpoint() async throws {
        let transport = FakeHTTPTransport([Fixtures.json(#"{"taskArns":[]}"#)])
        let configuration = Fixtures.configuration(transport: transport, environment: ["AWS_ENDPOINT_URL_ECS": "http://127.0.0.1:5000"])
        let ecs = try ECSClient(configuration: configuration)
        _ = try await ecs.listTasks(ECSListTasksRequest())
        #expect(transport.requests.first?.url == "http://127.0.0.1:5000/")
        #expect(transport.requests.first?.headers.value(for: "Host") == "127.0.0.1:5000")

        let explicit = try EC2Client(configuration: configuration, endpoint: "http://localhost:4566/base")
        #expect(explicit.endpoint.url(path: "/") == "http://localhost:4566/base/")
    }
}
