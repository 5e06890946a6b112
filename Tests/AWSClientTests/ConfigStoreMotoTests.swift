import AWSClient
import AWSSigV4
import Foundation
import Testing

extension MotoServer {
    /// A moto of its own for the tests that turn its signature checking on (`/moto-api/reset-auth`),
    /// so the suites sharing ``shared`` with made-up keys are not refused meanwhile.
    static let checkingSignatures = MotoServer()
}

/// The SSM and S3 calls of a fleet.yaml kept in AWS, signed by gamefleet's own client, against a
/// moto that checks every signature: an IAM user with a key is made first, then
/// `/moto-api/reset-auth` turns checking on. A request signed wrong is refused (tested too, so
/// these tests would fail if S3's payload hash or path were signed the way other services sign).
@Suite("SSM and S3 against moto with signature checking", .serialized)
struct ConfigStoreMotoTests {
    /// moto's account of one IAM user's key, made while checking is still off.
    static func enableSignatureChecks(url: String, transport: AsyncHTTPClientTransport) async throws -> AWSCredentials {
        if let known = await Keys.shared.credentials { return known }
        let bootstrap = AWSCredentials(accessKeyID: "AKIDBOOTSTRAP", secretAccessKey: "moto-accepts-any-before-auth")
        func iam(_ form: String) async throws -> String {
            let answer = try await signedSend(service: "iam", method: "POST", url: url, path: "/",
                                              headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                                              body: Array((form + "&Version=2010-05-08").utf8), credentials: bootstrap, transport: transport)
            guard answer.isSuccess else { throw MotoServer.Unavailable(description: "moto IAM \(form) answered \(answer.status): \(answer.bodyText.prefix(300))") }
            return answer.bodyText
        }
        let user = "gamefleet-config-\(UUID().uuidString.prefix(8))"
        _ = try await iam("Action=CreateUser&UserName=\(user)")
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:*","s3:*"],"Resource":"*"}]}"#
        _ = try await iam("Action=PutUserPolicy&UserName=\(user)&PolicyName=config&PolicyDocument=\(policy.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
        let created = try await iam("Action=CreateAccessKey&UserName=\(user)")
        func element(_ name: String) -> String? {
            guard let start = created.range(of: "<\(name)>"), let end = created.range(of: "</\(name)>", range: start.upperBound..<created.endIndex) else { return nil }
            return String(created[start.upperBound..<end.lowerBound])
        }
        guard let id = element("AccessKeyId"), let secret = element("SecretAccessKey") else {
            throw MotoServer.Unavailable(description: "moto CreateAccessKey answered no key: \(created.prefix(300))")
        }
        let answer = try await transport.send(TransportRequest(method: "POST", url: url + "/moto-api/reset-auth", body: Array("0".utf8)), timeout: .seconds(30))
        guard answer.isSuccess else { throw MotoServer.Unavailable(description: "moto reset-auth answered \(answer.status)") }
        let credentials = AWSCredentials(accessKeyID: id, secretAccessKey: secret)
        await Keys.shared.keep(credentials)
        return credentials
    }

    /// The key once made (moto keeps checking for the rest of the run).
    actor Keys {
        static let shared = Keys()
        var credentials: AWSCredentials?
        func keep(_ value: AWSCredentials) { credentials = value }
    }

    /// A request signed by the signer alone (for moto's IAM, which gamefleet has no client for).
    static func signedSend(service: String, method: String, url: String, path: String, headers: [(String, String)], body: [UInt8],
                           credentials: AWSCredentials, transport: AsyncHTTPClientTransport) async throws -> TransportResponse {
        let host = String(url.dropFirst("http://".count))
        let request = SignableRequest(method: method, path: path, headers: [.init(name: "Host", value: host)] + headers.map { .init(name: $0.0, value: $0.1) }, body: body)
        let signed = SigV4Signer(region: "us-east-1", service: service).signedRequest(for: request, credentials: credentials, date: Date())
        return try await transport.send(
            TransportRequest(method: method, url: url + path, headers: signed.headers.map { HTTPHeaderField(name: $0.name, value: $0.value) }, body: body),
            timeout: .seconds(30))
    }

    static func configuration(_ credentials: AWSCredentials, url: String, transport: AsyncHTTPClientTransport) -> AWSClientConfiguration {
        AWSClientConfiguration(
            region: "us-east-1", credentials: StaticCredentialProvider(credentials), transport: transport,
            environment: ["AWS_ENDPOINT_URL": url], retryPolicy: RetryPolicy(maxAttempts: 1), timeout: .seconds(60))
    }

    static func withMoto(_ body: (String, AsyncHTTPClientTransport, AWSCredentials) async throws -> Void) async throws {
        let url = try await MotoServer.checkingSignatures.url()
        let transport = AsyncHTTPClientTransport()
        do {
            let credentials = try await enableSignatureChecks(url: url, transport: transport)
            try await body(url, transport, credentials)
        } catch {
            try? await transport.shutdown()
            throw error
        }
        try? await transport.shutdown()
    }

    @Test("A parameter is written and read back with its version; a new value has the next version")
    func ssmRoundTrip() async throws {
        try await Self.withMoto { url, transport, credentials in
            let ssm = try SSMClient(configuration: Self.configuration(credentials, url: url, transport: transport))
            let name = "/gamefleet/it/\(UUID().uuidString.prefix(8))/fleet.yaml"
            let first = try await ssm.putParameter(name, value: "name: a\n", type: "SecureString", overwrite: false)
            let second = try await ssm.putParameter(name, value: "name: b\n", type: nil, overwrite: true)
            #expect(second == first + 1)
            let read = try await ssm.getParameter(name)
            #expect(read.value == "name: b\n" && read.version == second && read.type == "SecureString")
            let missing = try await #require(throws: AWSServiceError.self) { try await ssm.getParameter(name + ".gone") }
            #expect(missing.code == "ParameterNotFound")
        }
    }

    @Test("An object is written and read back; If-None-Match on its entity tag answers 304; If-Match on a stale one is refused")
    func s3RoundTrip() async throws {
        try await Self.withMoto { url, transport, credentials in
            let bucket = "gamefleet-it-\(UUID().uuidString.prefix(8).lowercased())"
            let made = try await Self.signedSend(service: "s3", method: "PUT", url: url, path: "/\(bucket)",
                                                 headers: [("x-amz-content-sha256", CanonicalRequest.payloadHash(of: []))], body: [],
                                                 credentials: credentials, transport: transport)
            #expect(made.isSuccess, "CreateBucket: \(made.status) \(made.bodyText.prefix(200))")
            let s3 = try S3Client(configuration: Self.configuration(credentials, url: url, transport: transport))
            let key = "chess/fleet one.yaml"
            let tag = try #require(try await s3.putObject(bucket: bucket, key: key, body: Array("name: a\n".utf8)))
            guard case .object(let object) = try await s3.getObject(bucket: bucket, key: key) else { Issue.record("no object"); return }
            #expect(object.body == Array("name: a\n".utf8) && object.eTag == tag)
            #expect(try await s3.getObject(bucket: bucket, key: key, ifNoneMatch: tag) == .notModified)
            let newTag = try #require(try await s3.putObject(bucket: bucket, key: key, body: Array("name: b\n".utf8), ifMatch: tag))
            #expect(newTag != tag)
            let stale = try await #require(throws: AWSServiceError.self) {
                try await s3.putObject(bucket: bucket, key: key, body: Array("name: c\n".utf8), ifMatch: tag)
            }
            #expect(stale.code == "PreconditionFailed")
            let missing = try await #require(throws: AWSServiceError.self) { try await s3.getObject(bucket: bucket, key: "nothing.yaml") }
            #expect(missing.code == "NoSuchKey")
        }
    }

    @Test("A request signed with the wrong secret is refused: moto really checks")
    func wrongSecretIsRefused() async throws {
        try await Self.withMoto { url, transport, credentials in
            let wrong = AWSCredentials(accessKeyID: credentials.accessKeyID, secretAccessKey: credentials.secretAccessKey + "x")
            let ssm = try SSMClient(configuration: Self.configuration(wrong, url: url, transport: transport))
            let ssmError = try await #require(throws: AWSServiceError.self) { try await ssm.getParameter("/any") }
            #expect(ssmError.statusCode == 403 || ssmError.code.contains("Signature"), "\(ssmError)")
            let s3 = try S3Client(configuration: Self.configuration(wrong, url: url, transport: transport))
            let s3Error = try await #require(throws: AWSServiceError.self) { try await s3.getObject(bucket: "any", key: "k") }
            #expect(s3Error.code == "SignatureDoesNotMatch", "\(s3Error)")
        }
    }
}
