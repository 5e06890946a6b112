import AWSClient
import AWSSigV4
import Foundation
import Synchronization
import Testing

/// The refreshing cache in front of a credential source.
@Suite("Cached credentials")
struct CachedCredentialProviderTests {
    static let start = Date(timeIntervalSince1970: 1_710_495_045)

    static func found(_ id: String, expiresIn seconds: TimeInterval?) -> Result<CredentialLookup, CredentialsError> {
        .success(.found(ExpiringCredentials(AWSCredentials(accessKeyID: id, secretAccessKey: "s-\(id)", sessionToken: "t-\(id)"), expiration: seconds.map { start.addingTimeInterval($0) })))
    }

    @Test("Long-term credentials are fetched once")
    func noExpiry() async throws {
        let source = ScriptedCredentialSource([Self.found("A", expiresIn: nil)])
        let clock = TestDate(Self.start)
        let provider = CachedCredentialProvider(source: source, now: clock.closure)
        for _ in 0..<5 {
            #expect(try await provider.credentials().accessKeyID == "A")
            clock.advance(seconds: 86_400 * 30)
        }
        #expect(source.calls == 1)
    }

    @Test("Refreshed only inside the window before expiry", arguments: [
        (TimeInterval(3600 - 301), 1), (TimeInterval(3600 - 300), 2), (TimeInterval(3600 - 1), 2), (TimeInterval(3600 + 10), 2),
    ] as [(TimeInterval, Int)])
    func window(elapsed: TimeInterval, expectedCalls: Int) async throws {
        let source = ScriptedCredentialSource([Self.found("A", expiresIn: 3600), Self.found("B", expiresIn: 7200)])
        let clock = TestDate(Self.start)
        let provider = CachedCredentialProvider(source: source, refreshWindow: .seconds(300), now: clock.closure)
        _ = try await provider.credentials()
        clock.advance(seconds: elapsed)
        let key = try await provider.credentials().accessKeyID
        #expect(source.calls == expectedCalls)
        #expect(key == (expectedCalls == 1 ? "A" : "B"))
    }

    @Test("Concurrent callers wait for the one refresh in flight")
    func sharedRefresh() async throws {
        let source = ScriptedCredentialSource([Self.found("A", expiresIn: 3600)], gated: true)
        let provider = CachedCredentialProvider(source: source, now: { Self.start })
        let callers = Task {
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<16 {
                    group.addTask { try await provider.credentials().accessKeyID }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
        }
        // Hold the lookup until the first caller is inside it and the others have had every
        // chance to arrive and (wrongly) start lookups of their own.
        while source.calls == 0 { await Task.yield() }
        for _ in 0..<200 { await Task.yield() }
        try await Task.sleep(for: .milliseconds(50))
        source.release()

        #expect(try await callers.value == Array(repeating: "A", count: 16))
        #expect(source.calls == 1)
    }

    @Test("A failed refresh keeps the current credentials until they expire, then throws")
    func failedRefresh() async throws {
        let failure = CredentialsError.sourceFailed(source: "scripted", reason: "HTTP 500")
        let source = ScriptedCredentialSource([Self.found("A", expiresIn: 3600), .failure(failure)])
        let clock = TestDate(Self.start)
        let provider = CachedCredentialProvider(source: source, now: clock.closure)
        _ = try await provider.credentials()

        clock.advance(seconds: 3600 - 60)
        #expect(try await provider.credentials().accessKeyID == "A")
        #expect(source.calls == 2)

        clock.advance(seconds: 120)
        let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
        #expect(error == failure)
        #expect(source.calls == 3)
    }

    @Test("A single source with nothing is reported like an exhausted chain")
    func notFound() async throws {
        let provider = CachedCredentialProvider(source: ScriptedCredentialSource([.success(.notFound("nothing here"))]))
        let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
        #expect(error.description == "no credentials found; tried: scripted (nothing here)")
    }

    @Test("Clients ask the provider before each attempt")
    func clientsUseProvider() async throws {
        let source = ScriptedCredentialSource([Self.found("A", expiresIn: nil)])
        let transport = FakeHTTPTransport([Fixtures.json(#"{"taskArns":[]}"#)])
        var configuration = Fixtures.configuration(transport: transport)
        configuration.credentials = CachedCredentialProvider(source: source)
        _ = try await ECSClient(configuration: configuration).listTasks(ECSListTasksRequest())
        let authorization = try #require(transport.requests.first?.headers.value(for: "Authorization"))
        #expect(authorization.contains("Credential=A/"))
        #expect(transport.requests.first?.headers.value(for: "X-Amz-Security-Token") == "t-A")
    }

    @Test("No credentials: the call fails with the credentials error and sends nothing")
    func clientWithoutCredentials() async throws {
        let transport = FakeHTTPTransport()
        var configuration = Fixtures.configuration(transport: transport)
        configuration.credentials = CachedCredentialProvider(source: ScriptedCredentialSource([.success(.notFound("none"))]))
        await #expect(throws: CredentialsError.self) { try await ECSClient(configuration: configuration).listTasks(ECSListTasksRequest()) }
        #expect(transport.requests.isEmpty)
    }
}
