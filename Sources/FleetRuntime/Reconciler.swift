import FleetCore
import Foundation
import Logging

/// One reconcile pass, end to end: observe the provider, probe every server, plan, apply (or, in
/// dry-run mode, only log), and publish the result to ``FleetState``.
///
/// The planner decides; the reconciler only gathers inputs and carries out the plan. The only memory
/// kept between passes is the health book (what probes said), never what was done; the launches a
/// provider made and does not list yet come from the provider with each observation
/// (``FleetProvider/expectedLaunches(spec:)``) and travel in the observed state.
public actor Reconciler {
    let provider: any FleetProvider
    let prober: any HealthProber
    let fleet: FleetState
    let logger: Logger
    let now: @Sendable () -> Date
    let dryRun: Bool
    /// Most probes in flight at once.
    let probeConcurrency: Int
    var health = HealthBook()

    public init(provider: any FleetProvider, prober: any HealthProber, fleet: FleetState, logger: Logger,
                dryRun: Bool = false, probeConcurrency: Int = 256, now: @escaping @Sendable () -> Date = { Date() }) {
        self.provider = provider
        self.prober = prober
        self.fleet = fleet
        self.logger = logger
        self.dryRun = dryRun
        self.probeConcurrency = max(1, probeConcurrency)
        self.now = now
    }

    /// What a pass did.
    public struct Report: Sendable {
        /// Nil when the provider could not be observed.
        public var plan: Plan?
        public var outcomes: [ActionOutcome]
        public var probeFailures: Int
        public var error: String?
        /// True when another pass should follow at once (a cap cut this one short).
        public var requeueSoon: Bool { plan?.requeueSoon ?? false }
    }

    /// Runs one pass.
    public func pass() async -> Report {
        let started = ContinuousClock.now
        let spec = await fleet.spec
        let servers: [ObservedServer]
        let expected: [ExpectedLaunch]
        do {
            servers = try await provider.servers(spec: spec)
            expected = await provider.expectedLaunches(spec: spec)
        } catch {
            let message = "cannot observe the fleet (provider \(spec.provider.rawValue)): \(error)"
            logger.error("\(message); the pass is skipped and retried at the next interval")
            await fleet.passFailed(message, at: now())
            return Report(plan: nil, outcomes: [], probeFailures: 0, error: message)
        }

        var (observed, failures) = await probe(servers, spec: spec)
        observed.expected = expected
        let probedAt = observed.observedAt ?? now()
        let plan = Planner.plan(spec: spec, observed: observed, now: probedAt)
        log(plan, spec: spec)
        var outcomes: [ActionOutcome] = []
        if !dryRun && !plan.isEmpty {
            outcomes = await provider.apply(plan.actions, spec: spec)
            for outcome in outcomes where !outcome.succeeded {
                logger.error("action failed, will be planned again next pass: \(PlanTextRenderer.line(outcome.action)): \(outcome.error ?? "")")
            }
        }
        let duration = ContinuousClock.now - started
        fleet.metrics.recordPass(plan: plan, outcomes: outcomes, probeFailures: failures, duration: duration)
        // Publish what the fleet looks like after this pass's own decisions, so allocations never
        // go to a server this pass parked or stopped. Only actions that took effect count.
        let applied = outcomes.filter(\.succeeded).map(\.action)
        await fleet.publish(observed: observed.reflecting(applied), plan: plan, outcomes: outcomes, at: probedAt, duration: duration)
        return Report(plan: plan, outcomes: outcomes, probeFailures: failures, error: nil)
    }

    /// Observes once: the provider's servers with fresh probe results folded into their health
    /// records. Used by each pass and by `gamefleet observe`.
    public func observe() async throws -> ObservedState {
        let spec = await fleet.spec
        let servers = try await provider.servers(spec: spec)
        let expected = await provider.expectedLaunches(spec: spec)
        var observed = await probe(servers, spec: spec).0
        observed.expected = expected
        return observed
    }

    func probe(_ servers: [ObservedServer], spec: FleetSpec) async -> (ObservedState, Int) {
        let results = await probeAll(servers, spec: spec)
        let probedAt = now()
        var failures = 0
        for (id, result) in results {
            health.record(result, for: id, at: probedAt)
            if case .failed(let why) = result {
                failures += 1
                logger.debug("probe failed", metadata: ["server": "\(id)", "why": "\(why)"])
            }
        }
        health.keepOnly(Set(servers.map(\.id)))
        let observed = ObservedState(
            observedAt: probedAt,
            servers: servers.map { server in
                var s = server
                s.health = health.record(for: server.id)
                return s
            })
        return (observed, failures)
    }

    func log(_ plan: Plan, spec: FleetSpec) {
        let s = plan.summary
        let head = "pass: \(s.servers) server(s), \(s.active) active, \(s.standby) standby, \(s.starting) starting, \(s.unhealthy) unhealthy; free slots \(s.freeSlots) (margins \(s.upscaleMargin)..\(s.downscaleMargin))"
        if plan.isEmpty {
            logger.debug("\(head); no changes")
        } else {
            logger.info("\(head); \(plan.actions.count) action(s)\(dryRun ? " (dry run: not applied)" : "")")
        }
        for action in plan.actions {
            logger.info("\(dryRun ? "would " : "")\(PlanTextRenderer.line(action))")
        }
        for limit in plan.limits {
            logger.info("limit: \(limit)")
        }
    }

    /// Probes every server that has an address and is not stopping, at most `probeConcurrency` at
    /// once. Each probe is bounded by the spec's timeout, so with no more servers than the bound a
    /// pass waits at most one timeout for slow or dead ones.
    func probeAll(_ servers: [ObservedServer], spec: FleetSpec) async -> [(String, ProbeResult)] {
        let health = spec.gameserver.health
        let targets = servers.compactMap { server -> (String, HostPort)? in
            guard server.lifecycle != .stopping, let address = server.address else { return nil }
            return (server.id, address)
        }
        let prober = self.prober
        return await withTaskGroup(of: (String, ProbeResult).self) { group in
            var results: [(String, ProbeResult)] = []
            results.reserveCapacity(targets.count)
            var next = 0
            func start() {
                let (id, address) = targets[next]
                next += 1
                group.addTask {
                    (id, await prober.probe(host: address.host, port: health.port ?? address.port, path: health.path, timeout: health.timeout))
                }
            }
            while next < targets.count && next < probeConcurrency { start() }
            while let result = await group.next() {
                results.append(result)
                if next < targets.count { start() }
            }
            return results
        }
    }
}
