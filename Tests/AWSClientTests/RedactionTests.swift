import AWSClient
import AWSSigV4
import Foundation
import Testing

/// No secret key, session token, authorization token or signature in any error, description
/// or log line this module produces.
@Suite("No secrets in errors, descriptions or logs")
struct RedactionTests {
    static let secret = "REDACTION/secret+KEY0000000000000000000000"
    static let sessionToken = "REDACTION-session-TOKEN"
    static let authorization = "REDACTION-authorization-TOKEN"
    static let secrets = [secret, sessionToken, authorization]

    /// Every textual rendering of `value` that could end up in a log line.
    func renderings(of value: some Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return ["\(value)", String(describing: value), String(reflecting: value), dumped]
    }

    func expectClean(_ value: some Any, sourceLocation: SourceLocation = #_sourceLocation) {
        for text in renderings(of: value) {
            for secret in Self.secrets {
                #expect(!text.contains(secret), "secret leaked: \(text)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("Credential records and providers")
    func records() {
        let credentials = AWSCredentials(accessKeyID: "AKIDREDACT", secretAccessKey: Self.secret, sessionToken: Self.sessionToken)
        expectClean(ExpiringCredentials(credentials, expiration: Date()))
        expectClean(CredentialLookup.found(ExpiringCredentials(credentials)))
        expectClean(StaticCredentialProvider(credentials))
    }

    @Test("Errors of every source, with secrets all around them")
    func sourceErrors() async throws {
        let environment = [
            "AWS_SECRET_ACCESS_KEY": Self.secret,
            "AWS_SESSION_TOKEN": Self.sessionToken,
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": Self.authorization,
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://192.0.2.1/creds",
        ]
        var errors: [any Error] = []
        do { _ = try await EnvironmentCredentialSource(environment: environment).lookUp() } catch { errors.append(error) }
        do { _ = try await ContainerCredentialSource(environment: environment, transport: FakeHTTPTransport()).lookUp() } catch { errors.append(error) }

        let leaky = TransportResponse(status: 403, text: #"{"message":"denied","token":"\#(Self.authorization)","SecretAccessKey":"\#(Self.secret)"}"#)
        let loopback = environment.merging(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/c"]) { $1 }
        do { _ = try await ContainerCredentialSource(environment: loopback, transport: FakeHTTPTransport([.respond(leaky)])).lookUp() } catch { errors.append(error) }

        let garbage = TransportResponse(status: 200, text: #"{"AccessKeyId":1,"SecretAccessKey":"\#(Self.secret)","Token":"\#(Self.sessionToken)"}"#)
        do { _ = try await ContainerCredentialSource(environment: loopback, transport: FakeHTTPTransport([.respond(garbage)])).lookUp() } catch { errors.append(error) }

        let imds = FakeHTTPTransport([
            .respond(TransportResponse(status: 200, text: Self.authorization)),
            .respond(TransportResponse(status: 200, text: "role")),
            .respond(TransportResponse(status: 200, text: #"{"Code":"Failed","SecretAccessKey":"\#(Self.secret)"}"#)),
        ])
        do { _ = try await InstanceMetadataCredentialSource(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:9"], transport: imds).lookUp() } catch { errors.append(error) }

        let imdsForbidden = FakeHTTPTransport([
            .respond(TransportResponse(status: 200, text: Self.authorization)),
            .respond(TransportResponse(status: 500, text: Self.secret)),
        ])
        do { _ = try await InstanceMetadataCredentialSource(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:9"], transport: imdsForbidden).lookUp() } catch { errors.append(error) }

        #expect(errors.count == 6)
        for error in errors {
            expectClean(error)
        }
        // The IMDS requests after the token carried it, so the check above was not vacuous.
        #expect(imds.requests.last?.headers.value(for: "X-aws-ec2-metadata-token") == Self.authorization)
    }

    @Test("Call logs and call errors carry neither keys nor signatures")
    func callLogs() async throws {
        let capture = LogCapture()
        let transport = FakeHTTPTransport([
            Fixtures.json(500, #"{"__type":"ServerException","message":"try again"}"#),
            Fixtures.json(#"{"taskArns":["t"]}"#),
            Fixtures.json(400, #"{"__type":"ClientException","message":"bad"}"#),
        ])
        let credentials = AWSCredentials(accessKeyID: "AKIDREDACT", secretAccessKey: Self.secret, sessionToken: Self.sessionToken)
        let ecs = try ECSClient(configuration: Fixtures.configuration(transport: transport, credentials: credentials, logger: capture.logger))

        _ = try await ecs.listTasks(ECSListTasksRequest(cluster: "gamefleet"))
        let error = try await #require(throws: AWSServiceError.self) { try await ecs.stopTask(cluster: "c", task: "t", reason: nil) }
        expectClean(error)

        let signatures = transport.requests.compactMap { $0.headers.value(for: "Authorization")?.components(separatedBy: "Signature=").last }
        #expect(signatures.count == 3)
        let lines = capture.lines
        // One debug line per attempt: operation, status, attempt and duration.
        let calls = lines.filter { $0.message.hasPrefix("aws call") }
        #expect(calls.count == 3)
        #expect(calls.map { $0.metadata["aws.operation"] } == ["ListTasks", "ListTasks", "StopTask"])
        #expect(calls.map { $0.metadata["aws.attempt"] } == ["1", "2", "1"])
        #expect(calls.map { $0.metadata["http.status"] } == ["500", "200", "400"])
        #expect(calls.allSatisfy { $0.level == .debug && $0.metadata["duration_ms"] != nil })
        for line in lines {
            for secret in Self.secrets + signatures {
                #expect(!line.text.contains(secret), "leaked in log: \(line.text)")
            }
        }
    }
}
