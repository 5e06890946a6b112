import ArgumentParser
import FleetCore
import Foundation
import Logging

/// `gamefleet apply`: one reconcile pass by hand — observe, plan, show, confirm, apply.
struct Apply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Observe, plan and apply one pass (provider ecs); asks before changing anything.")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Apply without asking.")
    var autoApprove = false

    func run() async throws {
        let spec = try options.loadSpec()
        guard spec.provider == .ecs else {
            Stderr.write("gamefleet apply: provider \(spec.provider.rawValue)'s gameservers are children of `gamefleet serve`, which applies its own plans; use `gamefleet serve`\n")
            throw ExitCode.failure
        }
        let logger = Logger(label: "gamefleet")
        let observed = try await LiveObservation.observe(spec: spec, configPath: options.config, logger: logger)
        let plan = Planner.plan(spec: spec, observed: observed, now: observed.observedAt ?? Date())
        Stdout.write(PlanTextRenderer.render(plan, fleet: spec.name))
        guard !plan.isEmpty else { return }
        if !autoApprove {
            Stdout.write("\nApply these actions? Only 'yes' is accepted: ")
            guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                Stderr.write("Apply cancelled; nothing was changed.\n")
                throw ExitCode.failure
            }
        }
        let provider = try await ProviderFactory.make(spec: spec, configPath: options.config, logger: logger)
        let outcomes = await provider.apply(plan.actions, spec: spec)
        await provider.shutdown()
        var failed = 0
        for outcome in outcomes {
            if let error = outcome.error {
                failed += 1
                Stderr.write("failed: \(PlanTextRenderer.line(outcome.action)): \(error)\n")
            } else {
                Stdout.write("done:   \(PlanTextRenderer.line(outcome.action))\(outcome.launched.map { " → \($0)" } ?? "")\(outcome.pacingNote.map { " (\($0))" } ?? "")\n")
            }
        }
        Stdout.write("Apply complete: \(outcomes.count - failed) applied, \(failed) failed.\n")
        if failed > 0 { throw ExitCode.failure }
    }
}
