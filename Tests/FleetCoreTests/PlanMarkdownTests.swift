import FleetCore
import Foundation
import Testing

/// The pull-request comment `plan --output markdown` prints.
@Suite("Plan as Markdown")
struct PlanMarkdownTests {
    static let at = Date(timeIntervalSince1970: 1_800_000_000)

    static func context(changes: [ConfigChange]?, refusals: [String] = []) -> PlanMarkdownRenderer.Context {
        PlanMarkdownRenderer.Context(
            fleet: "chess", proposed: "fleet.yaml", proposedHash: "1111", running: changes == nil ? nil : .init(path: "ssm:/gamefleet/chess/fleet.yaml", version: "7", hash: "2222"),
            changes: changes, refusals: refusals, observedFrom: "http://admin:8001/v1/observed", observedAt: at, judgedAt: at)
    }

    static func plan(actions: [Action] = []) -> Plan {
        Plan(actions: actions, summary: Plan.Summary(freeSlots: 1, upscaleMargin: 4, downscaleMargin: 18, servers: 2, active: 2, standby: 0, starting: 0, unhealthy: 0, outdated: 0))
    }

    @Test("The config change is a table, key by key, values as code with pipes escaped; the plan is the text renderer's, fenced")
    func tableAndPlan() {
        let launch = Action(kind: .launch, taskDefinition: "chess:3", code: .belowUpscaleMargin, reason: "free slots 1 < upscale margin 4")
        let text = PlanMarkdownRenderer.render(Self.plan(actions: [launch]), context: Self.context(changes: [
            ConfigChange(key: "scaling.upscaleMargin", running: "4", proposed: "6"),
            ConfigChange(key: "allocation.backup", running: nil, proposed: "a|b"),
        ]))
        #expect(text.hasPrefix("### gamefleet plan: fleet `chess`\n"))
        #expect(text.contains("against the running `ssm:/gamefleet/chess/fleet.yaml` version 7 (config 2222)"), "\(text)")
        #expect(text.contains("| Key | Running | Proposed |\n|---|---|---|\n| `scaling.upscaleMargin` | `4` | `6` |\n| `allocation.backup` | *not set* | `a\\|b` |\n"), "\(text)")
        #expect(text.contains("**Plan:** 1 to launch, 0 to activate, 0 to standby, 0 to stop."))
        #expect(text.contains("```\n" + PlanTextRenderer.render(Self.plan(actions: [launch]), fleet: "chess") + "```\n"), "\(text)")
    }

    @Test("No change, no running config, and refusals each say so")
    func edges() {
        #expect(PlanMarkdownRenderer.render(Self.plan(), context: Self.context(changes: [])).contains("no key changes"))
        #expect(PlanMarkdownRenderer.render(Self.plan(), context: Self.context(changes: nil)).contains("not compared"))
        #expect(PlanMarkdownRenderer.render(Self.plan(), context: Self.context(changes: nil)).contains("**Plan:** no changes."))
        let refused = PlanMarkdownRenderer.render(Self.plan(), context: Self.context(changes: [], refusals: ["name: chess → go: the name is how"]))
        #expect(refused.contains("> [!WARNING]") && refused.contains("> - name: chess → go: the name is how"), "\(refused)")
    }
}
