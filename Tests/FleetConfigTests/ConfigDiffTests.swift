import FleetConfig
import FleetCore
import Testing

/// The key-by-key comparison `plan --output markdown` shows a reviewer: keys as written, never the
/// environment's values.
@Suite("Config diff, key by key")
struct ConfigDiffTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var running: String
        var proposed: String
        var changes: [ConfigChange]
        var testDescription: String { name }
    }

    static let base = """
    name: chess
    scaling:
      upscaleMargin: 40
      downscaleMargin: 80   # a comment
    ecs:
      subnets: [subnet-1, subnet-2]
    admin:
      token: ${GAMEFLEET_ADMIN_TOKEN}

    """

    static let cases: [Case] = [
        Case(name: "the same text says nothing changed", running: base, proposed: base, changes: []),
        Case(name: "comments, layout and flow style do not count", running: base,
             proposed: "name: chess\nscaling: {upscaleMargin: 40, downscaleMargin: 80}\necs: {subnets: [subnet-1, subnet-2]}\nadmin: {token: '${GAMEFLEET_ADMIN_TOKEN}'}\n",
             changes: []),
        Case(name: "a changed value is one row with both", running: base,
             proposed: base.replacingOccurrences(of: "upscaleMargin: 40", with: "upscaleMargin: 60"),
             changes: [ConfigChange(key: "scaling.upscaleMargin", running: "40", proposed: "60")]),
        Case(name: "an added key has no running value; a removed one no proposed value", running: base,
             proposed: base.replacingOccurrences(of: "  downscaleMargin: 80   # a comment\n", with: "  maxServers: 10\n"),
             changes: [ConfigChange(key: "scaling.maxServers", running: nil, proposed: "10"),
                       ConfigChange(key: "scaling.downscaleMargin", running: "80", proposed: nil)]),
        Case(name: "a list of plain values is one key, in flow style", running: base,
             proposed: base.replacingOccurrences(of: "[subnet-1, subnet-2]", with: "[subnet-1]"),
             changes: [ConfigChange(key: "ecs.subnets", running: "[subnet-1, subnet-2]", proposed: "[subnet-1]")]),
        Case(name: "a list of mappings is indexed", running: "scaling:\n  schedule:\n    - {cron: '0 20 * * *', minServers: 4}\n",
             proposed: "scaling:\n  schedule:\n    - {cron: '0 19 * * *', minServers: 4}\n    - {cron: '0 8 * * 6', minServers: 2}\n",
             changes: [ConfigChange(key: "scaling.schedule[0].cron", running: "0 20 * * *", proposed: "0 19 * * *"),
                       ConfigChange(key: "scaling.schedule[1].cron", running: nil, proposed: "0 8 * * 6"),
                       ConfigChange(key: "scaling.schedule[1].minServers", running: nil, proposed: "2")]),
        Case(name: "a ${VAR} reference is compared as written, never substituted", running: base,
             proposed: base.replacingOccurrences(of: "${GAMEFLEET_ADMIN_TOKEN}", with: "${OTHER_TOKEN}"),
             changes: [ConfigChange(key: "admin.token", running: "${GAMEFLEET_ADMIN_TOKEN}", proposed: "${OTHER_TOKEN}")]),
    ]

    @Test(arguments: cases)
    func changes(_ c: Case) throws {
        #expect(try ConfigDiff.changes(running: c.running, proposed: c.proposed) == c.changes)
    }

    @Test("Text that is not YAML is named")
    func notYAML() {
        #expect(throws: ConfigDiff.Unreadable.self) { try ConfigDiff.changes(running: "a: [", proposed: "a: 1", runningName: "http://x/v1/config") }
        do {
            _ = try ConfigDiff.changes(running: "a: 1", proposed: "a: [", proposedName: "proposed.yaml")
        } catch {
            #expect("\(error)".hasPrefix("proposed.yaml: not YAML"), "\(error)")
        }
    }
}
