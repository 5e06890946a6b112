import FleetCore
import Testing
@testable import FleetConfig

/// fleet.yaml's `ha:` section: what loads, and each refusal with its message.
@Suite("fleet.yaml ha")
struct HAConfigTests {
    /// An ecs fleet with `ha` text appended.
    static func yaml(_ ha: String, admin: String = "admin:\n  listen: 127.0.0.1:8001\n") -> String {
        """
        name: arena
        provider: ecs
        gameserver:
          capacity: 10
        scaling:
          upscaleMargin: 4
          downscaleMargin: 18
        ecs:
          region: us-east-1
          taskDefinition: gameserver
          gamePort: 7777
        \(admin)\(ha)
        """
    }

    @Test("Defaults: 15s lease, advertise = admin.listen, no endpoint; renew every 5s, margin 3s")
    func defaults() throws {
        let spec = try FleetLoader.parse(Self.yaml("ha:\n  table: gamefleet-leases\n"))
        let ha = try #require(spec.ha)
        #expect(ha == HASpec(table: "gamefleet-leases", leaseDuration: .seconds(15), advertise: HostPort(host: "127.0.0.1", port: 8001)))
        #expect(ha.renewInterval == .seconds(5))
        #expect(ha.safetyMargin == .seconds(3))
    }

    @Test("Absent: no ha (one replica)")
    func absent() throws {
        #expect(try FleetLoader.parse(Self.yaml("")).ha == nil)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var expected: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "lease under 3s", yaml: yaml("ha:\n  table: t-leases\n  leaseDuration: 2s\n"),
                expected: "ha.leaseDuration: must be at least 3s"),
        Refusal(name: "lease past the bound", yaml: yaml("ha:\n  table: t-leases\n  leaseDuration: 301s\n"),
                expected: "ha.leaseDuration"),
        Refusal(name: "bad table name", yaml: yaml("ha:\n  table: 'no spaces'\n"),
                expected: "ha.table: expected a DynamoDB table name"),
        Refusal(name: "missing table", yaml: yaml("ha:\n  leaseDuration: 5s\n"),
                expected: "ha.table"),
        Refusal(name: "wildcard advertise", yaml: yaml("ha:\n  table: t-leases\n", admin: "admin:\n  listen: 0.0.0.0:8001\n  token: secret\n"),
                expected: "ha.advertise: 0.0.0.0:8001 is a wildcard address"),
        Refusal(name: "remote advertise without a token", yaml: yaml("ha:\n  table: t-leases\n  advertise: 10.0.0.5:8001\n"),
                expected: "ha.advertise: 10.0.0.5:8001 is not a loopback address and no admin.token is set"),
        Refusal(name: "endpoint not a URL", yaml: yaml("ha:\n  table: t-leases\n  endpoint: localhost:4566\n"),
                expected: "ha.endpoint: expected a URL"),
        Refusal(name: "local provider", yaml: yaml("ha:\n  table: t-leases\n").replacingOccurrences(of: "provider: ecs", with: "provider: local\nlocal:\n  command: [x]"),
                expected: "ha: high availability needs provider ecs"),
    ]

    @Test("Refusals name the field", arguments: refusals)
    func refuses(_ refusal: Refusal) {
        let error = #expect(throws: ConfigErrors.self) { try FleetLoader.parse(refusal.yaml, file: "fleet.yaml", environment: [:]) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains(refusal.expected), "\(text)")
    }

    @Test("A token and a routable advertised address load")
    func routable() throws {
        let spec = try FleetLoader.parse(Self.yaml(
            "ha:\n  table: t-leases\n  leaseDuration: 3s\n  advertise: 10.0.0.5:8001\n  endpoint: http://127.0.0.1:5000\n",
            admin: "admin:\n  listen: 0.0.0.0:8001\n  token: secret\n"))
        #expect(spec.ha == HASpec(table: "t-leases", leaseDuration: .seconds(3), advertise: HostPort(host: "10.0.0.5", port: 8001), endpoint: "http://127.0.0.1:5000"))
    }
}
