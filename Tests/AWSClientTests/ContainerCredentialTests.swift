@testable import AWSClient
import AWSSigV4
import Foundation
import Testing
import TestSupport

/// The ECS container credentials endpoint, served by a local SwiftNIO server on 127.0.0.1
/// (and, for the fixed ECS address, the fake transport, so nothing goes to 169.254.170.2).
@Suite("Credential sources: container endpoint")
struct ContainerCredentialTests {
    static let secret = "container/SECRET+key0000000000000000000"
    static let sessionToken = "container-SESSION-token-0000"
    static let authorization = "Bearer container-AUTH-token-0000"

    static func document(expiration: String = "2024-03-15T10:30:45Z") -> String {
        #"{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"\#(secret)","Token":"\#(sessionToken)","Expiration":"\#(expiration)","RoleArn":"arn:aws:iam::123456789012:role/gamefleet"}"#
    }

    @Test("FULL_URI on loopback: GET with the authorization token, credentials with their expiry")
    func fullURI() async throws {
        try await LocalHTTPServer.with({ _ in .init(status: 200, text: Self.document()) }) { server in
            try await AsyncHTTPClientTransport.with { transport in
                let source = ContainerCredentialSource(
                    environment: [
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/creds?role=gamefleet",
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN": Self.authorization,
                    ],
                    transport: transport,
                    timeout: Fixtures.localServerTimeout
                )
                let found = try await source.lookUp()

                #expect(
                    found
                        == .found(
                            ExpiringCredentials(
                                AWSCredentials(accessKeyID: "ASIACONTAINER", secretAccessKey: Self.secret, sessionToken: Self.sessionToken),
                                expiration: Date(timeIntervalSince1970: 1_710_498_645)
                            )
                        )
                )
                let request = try #require(server.requests.first)
                #expect(server.requests.count == 1)
                #expect(request.method == "GET")
                #expect(request.uri == "/creds?role=gamefleet")
                #expect(request.header("Authorization") == Self.authorization)
            }
        }
    }

    @Test("The token file wins over the token variable, and is trimmed")
    func tokenFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-token-\(UUID().uuidString)").path
        try "from-file-token\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await LocalHTTPServer.with({ _ in .init(status: 200, text: Self.document()) }) { server in
            try await AsyncHTTPClientTransport.with { transport in
                let source = ContainerCredentialSource(
                    environment: [
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/v1/credentials",
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN": "from-variable",
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": file,
                    ],
                    transport: transport,
                    timeout: Fixtures.localServerTimeout
                )
                _ = try await source.lookUp()
                #expect(server.requests.first?.header("Authorization") == "from-file-token")
            }
        }
    }

    @Test("RELATIVE_URI goes to ECS's 169.254.170.2 (checked through the fake, not the network)")
    func relativeURI() async throws {
        let transport = FakeHTTPTransport([.respond(TransportResponse(status: 200, text: Self.document()))])
        let source = ContainerCredentialSource(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/0b1c2d3e", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "unused"],
            transport: transport,
            timeout: .seconds(3)
        )
        guard case .found(let credentials) = try await source.lookUp() else {
            Issue.record("expected credentials")
            return
        }
        #expect(credentials.credentials.accessKeyID == "ASIACONTAINER")
        #expect(transport.requests.map(\.url) == ["http://169.254.170.2/v2/credentials/0b1c2d3e"])
        #expect(transport.requests.first?.headers.value(for: "Authorization") == nil)
        #expect(transport.timeouts == [.seconds(3)])
    }

    @Test("A token is never sent in clear to a host that is not loopback or ECS/EKS", arguments: [
        "http://192.0.2.10/creds", "http://example.com/creds", "http://127.0.0.1.example.com/creds", "ftp://127.0.0.1/creds", "not a url",
    ])
    func refusedHosts(url: String) async throws {
        let transport = FakeHTTPTransport()
        let source = ContainerCredentialSource(
            environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": url, "AWS_CONTAINER_AUTHORIZATION_TOKEN": Self.authorization],
            transport: transport
        )
        let error = try await #require(throws: CredentialsError.self) { try await source.lookUp() }
        #expect(!error.description.contains(Self.authorization))
        #expect(transport.requests.isEmpty)
    }

    @Test("Allowed plain-http hosts", arguments: [
        ("127.0.0.1", true), ("127.1.2.3", true), ("localhost", true), ("::1", true), ("169.254.170.2", true),
        ("169.254.170.23", true), ("fd00:ec2::23", true), ("10.0.0.1", false), ("127.0.0.256", false), ("169.254.169.254", false),
    ])
    func plainHosts(host: String, allowed: Bool) async throws {
        #expect(ContainerCredentialSource.isAllowedPlainHost(host) == allowed)
        // And end to end through lookUp, against the fake (which records instead of connecting).
        let transport = FakeHTTPTransport([.respond(TransportResponse(status: 200, text: Self.document()))])
        let bracketed = host.contains(":") ? "[\(host)]" : host
        let source = ContainerCredentialSource(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://\(bracketed):1234/c"], transport: transport)
        if allowed {
            _ = try await source.lookUp()
            #expect(transport.requests.map(\.url) == ["http://\(bracketed):1234/c"])
        } else {
            await #expect(throws: CredentialsError.self) { try await source.lookUp() }
            #expect(transport.requests.isEmpty)
        }
    }

    struct FailureCase: Sendable, CustomTestStringConvertible {
        var name: String
        var response: LocalHTTPServer.Response
        var reason: String
        var testDescription: String { name }
    }

    @Test("Failures name the endpoint and the cause, never the token or the body", arguments: [
        FailureCase(name: "401", response: .init(status: 401, text: "denied for \(authorization)"), reason: "answered HTTP 401"),
        FailureCase(name: "500", response: .init(status: 500, text: document()), reason: "answered HTTP 500"),
        FailureCase(name: "not JSON", response: .init(status: 200, text: "<html>\(secret)</html>"), reason: "not a JSON credentials object"),
        FailureCase(name: "no secret", response: .init(status: 200, text: #"{"AccessKeyId":"A","Token":"\#(sessionToken)"}"#), reason: "no AccessKeyId or SecretAccessKey"),
        FailureCase(
            name: "bad expiry",
            response: .init(status: 200, text: #"{"AccessKeyId":"A","SecretAccessKey":"\#(secret)","Expiration":"tomorrow"}"#),
            reason: "Expiration is not an ISO 8601 time"
        ),
    ])
    func failures(testCase: FailureCase) async throws {
        try await LocalHTTPServer.with({ _ in testCase.response }) { server in
            try await AsyncHTTPClientTransport.with { transport in
                let source = ContainerCredentialSource(
                    environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/secret-path", "AWS_CONTAINER_AUTHORIZATION_TOKEN": Self.authorization],
                    transport: transport,
                    timeout: Fixtures.localServerTimeout
                )
                let error = try await #require(throws: CredentialsError.self) { try await source.lookUp() }
                let text = error.description
                #expect(text.contains("container credentials endpoint"))
                #expect(text.contains(server.baseURL))
                #expect(text.contains(testCase.reason), "\(text)")
                #expect(!text.contains("secret-path"))
                #expect(!text.contains(Self.authorization))
                #expect(!text.contains(Self.secret))
                #expect(!text.contains(Self.sessionToken))
            }
        }
    }

    @Test("An endpoint that is configured but not listening is an error")
    func unreachable() async throws {
        let port = try LoopbackPorts.free()
        try await AsyncHTTPClientTransport.with { transport in
            let source = ContainerCredentialSource(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(port)/c"], transport: transport)
            let error = try await #require(throws: CredentialsError.self) { try await source.lookUp() }
            #expect(error.description.hasPrefix("credentials from the container credentials endpoint failed: http://127.0.0.1:\(port) connection failed"))
        }
    }
}
