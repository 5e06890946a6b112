import ArgumentParser
import FleetCore
import FleetECS
import FleetRuntime
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
        let spec = try await options.loadSpec()
        guard spec.provider == .ecs else {
            Stderr.write("gamefleet apply: provider \(spec.provider.rawValue)'s gameservers are children of `gamefleet serve`, which applies its own plans; use `gamefleet serve`\n")
            throw ExitCode.failure
        }
        let logger = Logger(label: "gamefleet")
        if let ha = spec.ha { try await HandLease.refuseWhileHeld(spec: spec, ha: ha, configPath: options.config, logger: logger) }
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
        // With ha, apply by hand only while no replica leads: it holds (and renews) the lease for
        // the time it acts, and stops applying once the lease can no longer be proven.
        var lease: HandLease?
        if let ha = spec.ha { lease = try await HandLease.acquire(spec: spec, ha: ha, configPath: options.config, logger: logger) }
        let provider: any FleetProvider
        do {
            provider = try await ProviderFactory.make(spec: spec, configPath: options.config, logger: logger)
        } catch {
            // Nothing was applied: give the lease back rather than leave it to expire.
            await lease?.keeper.release()
            await lease?.close()
            throw error
        }
        var outcomes: [ActionOutcome], notApplied = 0
        if let lease {
            let result = await HandApply.run(plan.actions, spec: spec, provider: provider, keeper: lease.keeper, logger: lease.logger)
            (outcomes, notApplied) = (result.outcomes, result.notApplied)
            await lease.close()
        } else {
            outcomes = await provider.apply(plan.actions, spec: spec)
        }
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
        if notApplied > 0 {
            Stderr.write("gamefleet apply: the ha lease of fleet \(spec.name) could no longer be renewed (table \(spec.ha?.table ?? "")); \(notApplied) action(s) not applied, so as never to act beside a replica that takes the lease over\n")
        }
        Stdout.write("Apply complete: \(outcomes.count - failed) applied, \(failed) failed\(notApplied > 0 ? ", \(notApplied) not applied" : "").\n")
        if failed > 0 || notApplied > 0 { throw ExitCode.failure }
    }
}

/// The lease `gamefleet apply` takes on a fleet with `ha`, so a hand-applied pass never runs beside
/// a leading replica: refused while any replica holds the lease, released when the pass is done.
struct HandLease {
    let keeper: LeaseKeeper
    let logger: Logger
    let close: @Sendable () async -> Void

    /// Fails before anything is observed when a replica holds the lease (checked again, atomically,
    /// by ``acquire(spec:ha:configPath:logger:)`` once the plan is confirmed).
    static func refuseWhileHeld(spec: FleetSpec, ha: HASpec, configPath: String, logger: Logger) async throws {
        let (store, close) = try DynamoDBLeaseStore.live(spec: spec, ha: ha, logger: logger)
        let holder: LeaseRecord?
        do {
            holder = try await store.read()
        } catch {
            await close()
            Stderr.write("\(configPath): ha.table: cannot read the lease in \(ha.table): \(error); nothing was changed\n")
            throw ExitCode.failure
        }
        await close()
        if let holder { throw refusal(holder, spec: spec, ha: ha) }
    }

    static func refusal(_ holder: LeaseRecord?, spec: FleetSpec, ha: HASpec) -> ExitCode {
        Stderr.write("gamefleet apply: \(holder.map { "replica \($0.holder) at \($0.address)" } ?? "another replica") holds the ha lease of fleet \(spec.name) (table \(ha.table)) and applies its own plans; nothing was changed. Stop the replicas (or let the leader act) to apply by hand.\n")
        return ExitCode.failure
    }

    /// Takes the lease (only when no replica holds it) with a ``LeaseKeeper`` of its own, which
    /// ``HandApply`` renews while the actions run.
    static func acquire(spec: FleetSpec, ha: HASpec, configPath: String, logger: Logger) async throws -> HandLease {
        let (store, close) = try DynamoDBLeaseStore.live(spec: spec, ha: ha, logger: logger)
        // The keeper's own notices (acquired, role) are not for apply's output; warnings are.
        var quiet = logger
        quiet.logLevel = .warning
        let elector = LeaseElector(replicaID: "gamefleet-apply@\(ProcessInfo.processInfo.hostName)", address: "-",
                                   leaseDuration: ha.leaseDuration, safetyMargin: ha.safetyMargin)
        let keeper = LeaseKeeper(elector: elector, store: store, clock: ContinuousClock(), logger: quiet)
        if let refused = await HandApply.acquire(keeper) {
            await close()
            guard refused.leader != nil else {
                Stderr.write("\(configPath): ha.table: cannot take the lease in \(ha.table) (see the warning above); nothing was changed\n")
                throw ExitCode.failure
            }
            throw refusal(LeaseRecord(holder: refused.leader ?? "?", address: refused.leaderAddress ?? "?", version: refused.leaseVersion ?? "",
                                      leaseDurationMs: 0), spec: spec, ha: ha)
        }
        return HandLease(keeper: keeper, logger: quiet, close: close)
    }
}
