import AWSClient
import AWSSigV4
import Foundation
import Synchronization
import Testing
import TestSupport

/// The EC2 instance metadata source, and refreshing through the cache, against a local server.
@Suite("Credential sources: EC2 instance metadata (IMDSv2)")
struct InstanceMetadataCredentialTests {
    static func withService<T>(_ body: (FakeMetadataService, LocalHTTPServer, AsyncHTTPClientTransport) async throws -> T) async throws -> T {
        let service = FakeMetadataService()
        return try await LocalHTTPServer.with({ service.handle($0) }) { server in
            try await AsyncHTTPClientTransport.with { transport in
                try await body(service, server, transport)
            }
        }
    }

    @Test("Token, role, credentials: three requests, the token on both reads")
    func fullFlow() async throws {
        try await Self.withService { (_: FakeMetadataService, server: LocalHTTPServer, transport: AsyncHTTPClientTransport) async throws in
            let source = InstanceMetadataCredentialSource(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL + "/"], transport: transport, timeout: Fixtures.localServerTimeout)
            let found = try await source.lookUp()

            #expect(
                found
                    == .found(
                        ExpiringCredentials(
                            AWSCredentials(accessKeyID: "ASIAIMDS1", secretAccessKey: FakeMetadataService.secretPrefix + "1", sessionToken: FakeMetadataService.tokenPrefix + "1"),
                            expiration: Date(timeIntervalSince1970: 1_710_498_645)
                        )
                    )
            )
            #expect(server.requests.map { "\($0.method) \($0.uri)" } == [
                "PUT /latest/api/token",
                "GET /latest/meta-data/iam/security-credentials/",
                "GET /latest/meta-data/iam/security-credentials/gamefleet-host",
            ])
            #expect(server.requests[0].header("X-aws-ec2-metadata-token-ttl-seconds") == "21600")
            #expect(server.requests[1].header("X-aws-ec2-metadata-token") == "metadata-API-token-1")
            #expect(server.requests[2].header("X-aws-ec2-metadata-token") == "metadata-API-token-1")
        }
    }

    @Test("An instance without a role is 'not found'")
    func noRole() async throws {
        try await Self.withService { (service: FakeMetadataService, server: LocalHTTPServer, transport: AsyncHTTPClientTransport) async throws in
            service.update { $0.role = nil }
            let source = InstanceMetadataCredentialSource(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL], transport: transport, timeout: Fixtures.localServerTimeout)
            #expect(try await source.lookUp() == .notFound("no IAM role is attached to this instance"))
        }
    }

    @Test("A Code other than Success is an error that shows no secret")
    func failureCode() async throws {
        try await Self.withService { (service: FakeMetadataService, server: LocalHTTPServer, transport: AsyncHTTPClientTransport) async throws in
            service.update { $0.code = "AssumeRoleUnauthorizedAccess" }
            let source = InstanceMetadataCredentialSource(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL], transport: transport, timeout: Fixtures.localServerTimeout)
            let error = try await #require(throws: CredentialsError.self) { try await source.lookUp() }
            #expect(error.description == "credentials from the EC2 instance metadata failed: role gamefleet-host: the response has Code AssumeRoleUnauthorizedAccess instead of Success")
            #expect(!error.description.contains(FakeMetadataService.secretPrefix))
            #expect(!error.description.contains("metadata-API-token"))
        }
    }

    @Test("No service listening means 'not found', so the chain can end with its list")
    func unreachable() async throws {
        let port = try LoopbackPorts.free()
        try await AsyncHTTPClientTransport.with { transport in
            let source = InstanceMetadataCredentialSource(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)"], transport: transport)
            guard case .notFound(let reason) = try await source.lookUp() else {
                Issue.record("expected not found")
                return
            }
            #expect(reason.hasPrefix("no metadata service at http://127.0.0.1:\(port): connection failed"))
        }
    }

    @Test("AWS_EC2_METADATA_DISABLED skips the service without a request; the default address is 169.254.169.254")
    func disabledAndDefaults() async throws {
        let transport = FakeHTTPTransport()
        let disabled = InstanceMetadataCredentialSource(environment: ["AWS_EC2_METADATA_DISABLED": "true"], transport: transport)
        #expect(try await disabled.lookUp() == .notFound("disabled by AWS_EC2_METADATA_DISABLED"))
        #expect(transport.requests.isEmpty)
        #expect(InstanceMetadataCredentialSource(environment: [:], transport: transport).endpointURL == "http://169.254.169.254")
        #expect(InstanceMetadataCredentialSource(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"], transport: transport).endpointURL == "http://[fd00:ec2::254]")
        #expect(!InstanceMetadataCredentialSource(environment: ["AWS_EC2_METADATA_DISABLED": "false"], transport: transport).isDisabled)
    }

    @Test("The cache refetches once expiry is near, with a fresh token, and concurrent callers share one refresh")
    func refresh() async throws {
        try await Self.withService { (service: FakeMetadataService, server: LocalHTTPServer, transport: AsyncHTTPClientTransport) async throws in
            let clock = TestDate(Date(timeIntervalSince1970: 1_710_495_045))  // 09:30:45Z; first expiry 10:30:45Z
            let provider = CachedCredentialProvider(
                source: InstanceMetadataCredentialSource(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL], transport: transport, timeout: Fixtures.localServerTimeout),
                now: clock.closure
            )

            #expect(try await provider.credentials().accessKeyID == "ASIAIMDS1")
            #expect(server.requests.count == 3)

            // 30 minutes on: still far from expiry, served from the cache.
            clock.advance(seconds: 30 * 60)
            #expect(try await provider.credentials().accessKeyID == "ASIAIMDS1")
            #expect(server.requests.count == 3)

            // 4 minutes before expiry, inside the 5-minute window: refetched once for all callers.
            service.update {
                $0.generation = 2
                $0.expiration = "2024-03-15T11:30:45Z"
            }
            clock.advance(seconds: 26 * 60)
            let keys = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await provider.credentials().accessKeyID }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(keys == Array(repeating: "ASIAIMDS2", count: 12))
            #expect(server.requests.count == 6)
            #expect(server.requests[3].method == "PUT")
            #expect(server.requests[4].header("X-aws-ec2-metadata-token") == "metadata-API-token-2")
            #expect(server.requests[5].header("X-aws-ec2-metadata-token") == "metadata-API-token-2")
            #expect(try await provider.credentials().sessionToken == FakeMetadataService.tokenPrefix + "2")
        }
    }
}
