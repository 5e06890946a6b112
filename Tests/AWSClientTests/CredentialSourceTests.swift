import AWSClient
import AWSSigV4
import Foundation
import Testing

/// The environment and shared-file sources, and the chain's order and final error.
@Suite("Credential sources: environment, file, chain")
struct CredentialSourceTests {
    static let secret = Fixtures.credentials.secretAccessKey

    struct EnvironmentCase: Sendable, CustomTestStringConvertible {
        var name: String
        var environment: [String: String]
        var expected: CredentialLookup?
        var testDescription: String { name }
    }

    @Test("Environment variables", arguments: [
        EnvironmentCase(name: "unset", environment: [:], expected: .notFound("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")),
        EnvironmentCase(name: "empty", environment: ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""], expected: .notFound("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")),
        EnvironmentCase(
            name: "long-term keys",
            environment: ["AWS_ACCESS_KEY_ID": "AKID1", "AWS_SECRET_ACCESS_KEY": secret],
            expected: .found(ExpiringCredentials(AWSCredentials(accessKeyID: "AKID1", secretAccessKey: secret)))
        ),
        EnvironmentCase(
            name: "temporary keys",
            environment: ["AWS_ACCESS_KEY_ID": "ASIA1", "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": "tok"],
            expected: .found(ExpiringCredentials(AWSCredentials(accessKeyID: "ASIA1", secretAccessKey: secret, sessionToken: "tok")))
        ),
        EnvironmentCase(name: "key id without secret", environment: ["AWS_ACCESS_KEY_ID": "AKID1"], expected: nil),
        EnvironmentCase(name: "secret without key id", environment: ["AWS_SECRET_ACCESS_KEY": secret], expected: nil),
    ])
    func environment(testCase: EnvironmentCase) async throws {
        let source = EnvironmentCredentialSource(environment: testCase.environment)
        if let expected = testCase.expected {
            #expect(try await source.lookUp() == expected)
        } else {
            let error = try await #require(throws: CredentialsError.self) { try await source.lookUp() }
            guard case .sourceFailed(let name, let reason) = error else {
                Issue.record("expected sourceFailed, got \(error)")
                return
            }
            #expect(name == "environment")
            #expect(!reason.contains(Self.secret))
        }
    }

    /// A temporary home directory with `.aws/credentials` holding `contents`.
    static func home(credentials contents: String?) throws -> String {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
        if let contents {
            try contents.write(toFile: home + "/.aws/credentials", atomically: true, encoding: .utf8)
        }
        return home
    }

    static let credentialsFile = """
        # gamefleet test file
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = \(secret)

        ; a profile with temporary keys and odd spacing
        [ fleet ]
        AWS_ACCESS_KEY_ID=ASIAFLEET
          aws_secret_access_key   =   sec=ret/with+symbols#not-a-comment
        aws_session_token = token-fleet

        [legacy]
        aws_access_key_id = AKIDLEGACY
        aws_secret_access_key = s
        aws_security_token = legacy-token

        [half]
        aws_access_key_id = AKIDHALF

        [sso]
        sso_session = corp
        """

    struct FileCase: Sendable, CustomTestStringConvertible {
        var name: String
        var environment: [String: String] = [:]
        var expected: AWSCredentials?
        var notFound: String?
        var testDescription: String { name }
    }

    @Test("Shared credentials file profiles", arguments: [
        FileCase(name: "default profile", expected: AWSCredentials(accessKeyID: "AKIDDEFAULT", secretAccessKey: secret)),
        FileCase(
            name: "AWS_PROFILE, values taken whole",
            environment: ["AWS_PROFILE": "fleet"],
            expected: AWSCredentials(accessKeyID: "ASIAFLEET", secretAccessKey: "sec=ret/with+symbols#not-a-comment", sessionToken: "token-fleet")
        ),
        FileCase(name: "older token name", environment: ["AWS_PROFILE": "legacy"], expected: AWSCredentials(accessKeyID: "AKIDLEGACY", secretAccessKey: "s", sessionToken: "legacy-token")),
        FileCase(name: "missing profile", environment: ["AWS_PROFILE": "nope"], notFound: "no [nope] profile in"),
        FileCase(name: "profile without static keys", environment: ["AWS_PROFILE": "sso"], notFound: "profile sso in"),
        FileCase(name: "key id without secret", environment: ["AWS_PROFILE": "half"]),
    ])
    func sharedFile(testCase: FileCase) async throws {
        let home = try Self.home(credentials: Self.credentialsFile)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let source = SharedCredentialsFileSource(environment: testCase.environment, homeDirectory: home)
        #expect(source.path == home + "/.aws/credentials")

        if let expected = testCase.expected {
            #expect(try await source.lookUp() == .found(ExpiringCredentials(expected)))
        } else if let notFound = testCase.notFound {
            guard case .notFound(let reason) = try await source.lookUp() else {
                Issue.record("expected not found")
                return
            }
            #expect(reason.contains(notFound))
        } else {
            await #expect(throws: CredentialsError.self) { try await source.lookUp() }
        }
    }

    @Test("AWS_SHARED_CREDENTIALS_FILE moves the file; ~/ is the home directory; HOME comes from the environment")
    func sharedFileLocation() async throws {
        let home = try Self.home(credentials: nil)
        defer { try? FileManager.default.removeItem(atPath: home) }
        try "[default]\naws_access_key_id=AKIDMOVED\naws_secret_access_key=x\n".write(toFile: home + "/elsewhere", atomically: true, encoding: .utf8)

        let moved = SharedCredentialsFileSource(environment: ["HOME": home, "AWS_SHARED_CREDENTIALS_FILE": "~/elsewhere"])
        #expect(moved.path == home + "/elsewhere")
        #expect(try await moved.lookUp() == .found(ExpiringCredentials(AWSCredentials(accessKeyID: "AKIDMOVED", secretAccessKey: "x"))))

        let absent = SharedCredentialsFileSource(environment: ["HOME": home])
        #expect(try await absent.lookUp() == .notFound("\(home)/.aws/credentials does not exist"))

        let nowhere = SharedCredentialsFileSource(environment: [:])
        #expect(try await nowhere.lookUp() == .notFound("neither AWS_SHARED_CREDENTIALS_FILE nor HOME is set"))
    }

    @Test("The chain takes the first source with credentials: environment before the file")
    func chainOrder() async throws {
        let home = try Self.home(credentials: Self.credentialsFile)
        defer { try? FileManager.default.removeItem(atPath: home) }
        // Nothing may reach the network: the container source is not configured and the
        // metadata source is disabled; the fake transport would record any attempt.
        let transport = FakeHTTPTransport()
        var environment = ["HOME": home, "AWS_EC2_METADATA_DISABLED": "true"]

        let fromFile = try await CredentialChain.standard(environment: environment, transport: transport).lookUp()
        #expect(fromFile == .found(ExpiringCredentials(AWSCredentials(accessKeyID: "AKIDDEFAULT", secretAccessKey: Self.secret))))

        environment["AWS_ACCESS_KEY_ID"] = "AKIDENV"
        environment["AWS_SECRET_ACCESS_KEY"] = "env-secret"
        let fromEnvironment = try await CredentialChain.standard(environment: environment, transport: transport).lookUp()
        #expect(fromEnvironment == .found(ExpiringCredentials(AWSCredentials(accessKeyID: "AKIDENV", secretAccessKey: "env-secret"))))
        #expect(transport.requests.isEmpty)
    }

    @Test("Nothing anywhere: 'no credentials found; tried: …' naming every source and why")
    func noneFound() async throws {
        let home = try Self.home(credentials: nil)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let transport = FakeHTTPTransport()
        let chain = CredentialChain.standard(environment: ["HOME": home, "AWS_EC2_METADATA_DISABLED": "TRUE"], transport: transport)

        let error = try await #require(throws: CredentialsError.self) { try await chain.lookUp() }
        #expect(
            error.description
                == "no credentials found; tried: environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set), "
                + "shared credentials file (\(home)/.aws/credentials does not exist), "
                + "container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set), "
                + "EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)"
        )
        #expect(transport.requests.isEmpty)
    }

    @Test("A source that is set up but broken stops the chain instead of falling through")
    func brokenSourceStops() async throws {
        let home = try Self.home(credentials: Self.credentialsFile)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let chain = CredentialChain.standard(environment: ["HOME": home, "AWS_ACCESS_KEY_ID": "AKIDONLY"], transport: FakeHTTPTransport())

        let error = try await #require(throws: CredentialsError.self) { try await chain.lookUp() }
        #expect(error == .sourceFailed(source: "environment", reason: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"))
    }
}
