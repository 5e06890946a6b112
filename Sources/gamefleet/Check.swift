import ArgumentParser
import FleetCore
import FleetECS
import Foundation

/// `gamefleet check`: the preflight. Read-only: asks AWS whether everything fleet.yaml names exists
/// and fits, so a first deploy does not find the missing pieces one failing pass at a time.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preflight, read-only: does everything fleet.yaml names exist in AWS, and fit? Exit 0 when ready, 1 naming each key to fix.",
        discussion: """
        Checks that fleet.yaml (or the ssm:/s3:// source) reads and validates; that AWS credentials \
        resolve; that ecs.cluster exists and is ACTIVE with the capacity providers of \
        ecs.capacityProviderStrategy attached; that ecs.taskDefinition exists and maps ecs.gamePort \
        (and uses awsvpc where Fargate needs it); that ecs.subnets, ecs.securityGroups and \
        ecs.launchTemplate exist; and that the ha.table lease table exists with the key serve \
        expects. It calls ecs:DescribeClusters, ecs:DescribeTaskDefinition, ec2:DescribeSubnets, \
        ec2:DescribeSecurityGroups, ec2:DescribeLaunchTemplates, dynamodb:DescribeTable (and \
        ssm:GetParameter or s3:GetObject for the source). Region, endpoint and credentials as for serve.
        """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var options: ConfigOptions

    @Option(help: "text (a line per key) or json (the findings).")
    var output: OutputFormat = .text

    func run() async throws {
        let loaded = try await options.load()
        await loaded.close()
        let source = "\(loaded.location)\(loaded.version.map { " version \($0)" } ?? "") (config \(loaded.hash))"
        let facts = await PreflightProbe.gather(spec: loaded.spec, configSource: source)
        let findings = Preflight.findings(spec: loaded.spec, facts: facts)
        switch output {
        case .text:
            Stdout.write(Self.text(fleet: loaded.spec, findings: findings))
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Stdout.write(String(decoding: try encoder.encode(findings), as: UTF8.self) + "\n")
        }
        if findings.contains(where: { $0.verdict == .problem }) { throw ExitCode.failure }
    }

    /// A line per finding, the fix under each problem, and a count.
    static func text(fleet: FleetSpec, findings: [PreflightFinding]) -> String {
        let width = findings.map(\.key.count).max() ?? 0
        var out = "gamefleet check: fleet \(fleet.name), provider \(fleet.provider.rawValue)\(fleet.ecs.map { " in \($0.region)" } ?? "")\n"
        for finding in findings {
            let mark = switch finding.verdict {
            case .ok: "ok     "
            case .problem: "PROBLEM"
            case .notChecked: "-      "
            }
            out += "  \(mark)  \(finding.key.padding(toLength: width, withPad: " ", startingAt: 0))  \(finding.message)\n"
            if let fix = finding.fix { out += "           \(String(repeating: " ", count: width))  fix: \(fix)\n" }
        }
        let problems = findings.filter { $0.verdict == .problem }.count
        let skipped = findings.filter { $0.verdict == .notChecked }.count
        out += problems == 0
            ? "ready: \(findings.count) checks passed\n"
            : "not ready: \(problems) problem\(problems == 1 ? "" : "s")\(skipped > 0 ? ", \(skipped) not checked" : "") of \(findings.count) checks\n"
        return out
    }
}
