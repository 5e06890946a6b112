import Testing
@testable import FleetCore

/// The preflight's judgement, from what AWS said to what check prints: one row per answer.
@Suite("Preflight findings")
struct PreflightTests {
    static func fargate(strategy: [String] = ["FARGATE", "FARGATE_SPOT"], template: String? = nil, subnets: [String] = ["subnet-1"]) -> FleetSpec {
        var fleet = spec()
        fleet.ecs = ECSSpec(
            region: "eu-west-1", cluster: "arena", taskDefinition: "arena-gs", gamePort: 7777, launchType: template == nil ? .fargate : .ec2,
            launchTemplate: template, subnets: subnets, securityGroups: ["sg-1"],
            capacityProviderStrategy: strategy.map { CapacityProviderShare(capacityProvider: $0, weight: 1) })
        fleet.ha = HASpec(table: "leases", advertise: HostPort(host: "10.0.0.5", port: 8001))
        return fleet
    }

    static func allPresent() -> PreflightFacts {
        var facts = PreflightFacts(configSource: "ssm:/fleet version 3 (config 1a2b)")
        facts.credentials = .found("access key AKID…TEST")
        facts.cluster = .found(.init(status: "ACTIVE", capacityProviders: ["FARGATE", "FARGATE_SPOT"]))
        facts.taskDefinition = .found(.init(name: "arena-gs:4", networkMode: "awsvpc", containerPorts: [7777, 9100]))
        facts.subnets = .found(["subnet-1"])
        facts.securityGroups = .found(["sg-1"])
        facts.leaseTable = .found(nil)
        return facts
    }

    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var spec: FleetSpec
        var facts: PreflightFacts
        var problems: [String]
        var notChecked: [String] = []
        /// Words the first problem's message or fix holds.
        var says: String? = nil
        var description: String { name }
    }

    static let rows: [Row] = {
        var rows: [Row] = [Row(name: "all present", spec: fargate(), facts: allPresent(), problems: [])]
        var facts = allPresent()
        facts.cluster = .found(.init(status: "INACTIVE", capacityProviders: ["FARGATE", "FARGATE_SPOT"]))
        rows.append(Row(name: "inactive cluster", spec: fargate(), facts: facts, problems: ["ecs.cluster"], says: "INACTIVE"))
        facts = allPresent()
        facts.cluster = .missing
        rows.append(Row(name: "no cluster: its providers not checked", spec: fargate(), facts: facts, problems: ["ecs.cluster"],
                        notChecked: ["ecs.capacityProviderStrategy"], says: "aws ecs create-cluster --cluster-name arena --region eu-west-1"))
        facts = allPresent()
        facts.cluster = .found(.init(status: "ACTIVE", capacityProviders: ["FARGATE"]))
        rows.append(Row(name: "one provider missing: the fix keeps the attached one", spec: fargate(), facts: facts,
                        problems: ["ecs.capacityProviderStrategy"], says: "--capacity-providers FARGATE FARGATE_SPOT"))
        facts = allPresent()
        facts.cluster = .unreadable("HTTP 400 AccessDeniedException: not authorized")
        rows.append(Row(name: "refused: the action to grant", spec: fargate(), facts: facts, problems: ["ecs.cluster"],
                        notChecked: ["ecs.capacityProviderStrategy"], says: "ecs:DescribeClusters"))
        facts = allPresent()
        facts.taskDefinition = .found(.init(name: "arena-gs:4", networkMode: "awsvpc", containerPorts: [80]))
        rows.append(Row(name: "game port not mapped", spec: fargate(), facts: facts, problems: ["ecs.gamePort"], says: "only 80"))
        facts = allPresent()
        facts.taskDefinition = .found(.init(name: "arena-gs:4", networkMode: "bridge", containerPorts: [7777]))
        rows.append(Row(name: "Fargate needs awsvpc", spec: fargate(), facts: facts, problems: ["ecs.launchType"], says: "bridge"))
        facts = allPresent()
        facts.subnets = nil
        rows.append(Row(name: "awsvpc without subnets", spec: fargate(subnets: []), facts: facts, problems: ["ecs.subnets"], says: "awsvpc"))
        facts = allPresent()
        facts.subnets = .found([])
        rows.append(Row(name: "subnet missing", spec: fargate(), facts: facts, problems: ["ecs.subnets"], says: "subnet-1"))
        facts = allPresent()
        facts.taskDefinition = .found(.init(name: "arena-gs:4", networkMode: "bridge", containerPorts: [7777]))
        facts.launchTemplate = .found(.init(name: "arena-host", latestVersion: 2))
        rows.append(Row(name: "pinned version past the latest", spec: fargate(strategy: [], template: "arena-host:3"), facts: facts,
                        problems: ["ecs.launchTemplate"], says: "no version 3 (its latest is 2)"))
        rows.append(Row(name: "pinned version that exists", spec: fargate(strategy: [], template: "arena-host:2"), facts: facts, problems: []))
        facts = allPresent()
        facts.leaseTable = .found("the DynamoDB table leases (ha.table) has the key id (HASH, S)")
        rows.append(Row(name: "lease table keyed wrong", spec: fargate(), facts: facts, problems: ["ha.table"], says: "id (HASH, S)"))
        facts = allPresent()
        facts.credentials = .unreadable("no credentials in the environment, the shared file, the container or the instance")
        rows.append(Row(name: "no credentials", spec: fargate(), facts: facts, problems: ["AWS credentials"], says: "AWS_ACCESS_KEY_ID"))
        return rows
    }()

    @Test("Each answer gives its finding", arguments: rows)
    func findings(_ row: Row) {
        let findings = Preflight.findings(spec: row.spec, facts: row.facts)
        #expect(findings.filter { $0.verdict == .problem }.map(\.key) == row.problems, "\(findings)")
        #expect(findings.filter { $0.verdict == .notChecked }.map(\.key) == row.notChecked, "\(findings)")
        if let says = row.says, let first = findings.first(where: { $0.verdict == .problem }) {
            #expect(first.message.contains(says) || first.fix?.contains(says) == true, "\(first)")
        }
        #expect(findings.first?.key == "--config")
    }

    @Test("A local fleet without ha asks AWS nothing")
    func localAsksNothing() {
        var fleet = spec()
        fleet.provider = .local
        fleet.ecs = nil
        #expect(Preflight.questions(for: fleet).needsAWS == false)
        let findings = Preflight.findings(spec: fleet, facts: PreflightFacts(configSource: "fleet.yaml"))
        #expect(findings.map(\.verdict) == [.ok, .ok])
    }

    @Test("Launch template references: name or id, with an optional version", arguments: [
        ("arena-host", "arena-host", nil, false), ("arena-host:3", "arena-host", "3", false),
        ("lt-0123456789abcdef0", "lt-0123456789abcdef0", nil, true), ("lt-0123456789abcdef0:$Latest", "lt-0123456789abcdef0", "$Latest", true),
    ] as [(String, String, String?, Bool)])
    func launchTemplateReference(_ text: String, _ template: String, _ version: String?, _ isID: Bool) {
        let reference = LaunchTemplateReference(parsing: text)
        #expect(reference.template == template)
        #expect(reference.version == version)
        #expect(reference.isID == isID)
    }
}
