import FleetCore
import Foundation
import Logging

/// One reconcile pass, end to end: observe the provider, probe every server, plan, apply (or, in
/// dry-run mode, only log), and publish the result to ``FleetState``.
///
/// The planner decides; the reconciler only gathers inputs and carries out the plan. The only memory
/// kept between passes is the health book (what probes said), when each server was first seen and
/// how long recent launches took to answer (``StartupBook``) and the demand measured (``DemandMemory``: the smoothed arrival rate and the bursts that came back, the latter saved to a ``DemandHistoryStore``), never what was done; the launches a provider made and does not list yet come from the
/// provider with each observation (``FleetProvider/expectedLaunches(spec:)``) and travel in the
/// observed state.
public actor Reconciler {
    let provider: any FleetProvider
    let prober: any HealthProber
    let fleet: FleetState
    let logger: Logger
    let now: @Sendable () -> Date
    let dryRun: Bool
    /// Most probes in flight at once.
    let probeConcurrency: Int
    /// Bounds the pass's probe round (see ``ProbeRound``).
    let clock: any Clock<Duration>
    var health = HealthBook()
    /// Which action kinds are backing off after failing (see ``ActionBackoff``).
    var backoff: ActionBackoff
    /// When each server was first seen by this process (``ObservedServer/firstSeenAt``).
    var sightings = FirstSightBook()
    /// How long this process's launches took to answer their first probe (``ObservedState/startup``).
    var startups: StartupBook
    /// With `ha`: whether this replica may act, asked before each pass and each action; nil: always.
    let leadership: (any LeadershipGate)?
    /// The smoothed arrival rate and the seasonal profile so far (``ObservedState/trend``,
    /// ``ObservedState/seasonal``), folded with each pass's window.
    var memory = DemandMemory()
    /// Where the seasonal profile is kept between processes and leaders; nil: this process only.
    let history: (any DemandHistoryStore)?
    /// When the profile was last saved (nil: not yet), and whether it was loaded since this
    /// replica last began to act.
    var historySavedAt: Date?
    var historyLoaded = false
    /// Whether the last pass planned as leader (with `ha`), so the first pass of a new leader is logged.
    var ledLastPass = false

    public init(provider: any FleetProvider, prober: any HealthProber, fleet: FleetState, logger: Logger,
                dryRun: Bool = false, probeConcurrency: Int = 256, now: @escaping @Sendable () -> Date = { Date() },
                clock: any Clock<Duration> = ContinuousClock(), backoff: ActionBackoff = ActionBackoff(),
                leadership: (any LeadershipGate)? = nil, history: (any DemandHistoryStore)? = nil) {
        self.leadership = leadership
        self.history = history
        self.provider = provider
        self.prober = prober
        self.fleet = fleet
        self.logger = logger
        self.dryRun = dryRun
        self.probeConcurrency = max(1, probeConcurrency)
        self.now = now
        self.clock = clock
        self.backoff = backoff
        self.startups = StartupBook(since: now())
    }

    /// What a pass did.
    public struct Report: Sendable {
        /// Nil when the provider could not be observed.
        public var plan: Plan?
        public var outcomes: [ActionOutcome]
        public var probeFailures: Int
        public var error: String?
        /// How long the kinds this pass planned are still backing off after failures; zero when none is.
        public var backoffWait: Duration = .zero
        /// True when the plan was only logged (dry run): a pass again at once could do no more.
        public var dryRun = false
        /// True when another pass should follow soon (a cap cut this one short, and it was applied).
        public var requeueSoon: Bool { !dryRun && (plan?.requeueSoon ?? false) }

        /// The pause before the next pass: `interval`, or for a pass a cap cut short, the backoff
        /// of the kinds it planned (zero when none is backing off), never more than `interval`.
        public func pause(interval: Duration) -> Duration {
            requeueSoon ? min(backoffWait, interval) : interval
        }
    }

    /// Runs one pass.
    public func pass() async -> Report {
        let started = ContinuousClock.now
        let spec = await fleet.spec
        // The leadership this pass begins in: only a pass that observes and probes after the
        // takeover opens a new leader's books (see ``FleetState/allocate(leading:)``).
        let term = leadership?.leadingTerm()
        let servers: [ObservedServer]
        let expected: [ExpectedLaunch]
        do {
            servers = try await provider.servers(spec: spec)
            expected = await provider.expectedLaunches(spec: spec)
            await fleet.noteRecentlyStopped(await provider.recentlyStopped(spec: spec))
        } catch {
            let message = "cannot observe the fleet (provider \(spec.provider.rawValue)): \(error)"
            logger.error("\(message); the pass is skipped and retried at the next interval")
            await fleet.passFailed(message, at: now())
            return Report(plan: nil, outcomes: [], probeFailures: 0, error: message)
        }

        var (observed, failures) = await probe(servers, spec: spec)
        observed.expected = expected
        guard !Task.isCancelled else {
            // Shutting down mid-pass: what the probes saw is incomplete, so nothing is planned,
            // applied or published from it.
            return Report(plan: nil, outcomes: [], probeFailures: 0, error: "the pass was cancelled (shutting down)")
        }
        let probedAt = observed.observedAt ?? now()
        // Close the demand window only now that the pass will plan and publish: a pass that could
        // not observe, or was cancelled, leaves the window open and its answers count in the next.
        observed.demand = await fleet.closeDemandWindow(confirmedBy: observed.servers, at: probedAt)
        // A follower (or a leader whose renewals fail) plans like a dry run: warm, never acting.
        let role = await leadership?.status() ?? .single
        if role.mayApply { await loadHistory() } else { historyLoaded = false }
        memory.fold(window: observed.demand, players: DemandTrend.players(on: observed.servers, capacity: spec.gameserver.capacity),
                    at: probedAt, settings: spec.scaling.demand)
        memory.stamp(&observed)
        let plan = Planner.plan(spec: spec, observed: observed, now: probedAt)
        let onlyLogged = dryRun ? "dry run" : (role.mayApply ? nil : role.text)
        if leadership != nil, role.mayApply != ledLastPass {
            ledLastPass = role.mayApply
            if ledLastPass { logger.notice("first pass as leader (lease version \(role.leaseVersion ?? "?"))") }
        }
        log(plan, spec: spec, onlyLogged: onlyLogged)
        var outcomes: [ActionOutcome] = []
        if onlyLogged == nil && !plan.isEmpty {
            outcomes = await apply(plan.actions, spec: spec)
            for outcome in outcomes where !outcome.succeeded {
                var metadata: Logger.Metadata = ["action": .string(outcome.action.kind.rawValue), "reason_code": .string(outcome.action.reasonCode.rawValue)]
                if let code = outcome.failureCode { metadata["failure_code"] = .string(code) }
                logger.error("action failed, will be planned again next pass: \(PlanTextRenderer.line(outcome.action)): \(outcome.error ?? "")", metadata: metadata)
            }
        }
        if onlyLogged == nil { await saveHistory(at: probedAt) }
        let backoffWait = await noteBackoff(plan: plan, outcomes: outcomes, spec: spec)
        let duration = ContinuousClock.now - started
        fleet.metrics.recordPass(plan: plan, outcomes: outcomes, probeFailures: failures, duration: duration)
        // Publish what the fleet looks like after this pass's own decisions, so allocations never
        // go to a server this pass parked or stopped. Only actions that took effect count.
        let applied = outcomes.filter(\.succeeded).map(\.action)
        await fleet.publish(observed: observed.reflecting(applied), plan: plan, outcomes: outcomes, at: probedAt, duration: duration, term: term,
                            plannedFrom: observed)
        return Report(plan: plan, outcomes: outcomes, probeFailures: failures, error: nil, backoffWait: backoffWait, dryRun: onlyLogged != nil)
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
        let servers = sightings.stamp(servers, at: now())
        let results = await probeAll(servers, spec: spec)
        let probedAt = now()
        var failures = 0
        // Probes cut short because the pass was cancelled (shutdown) say nothing of the servers:
        // they are not counted as failures.
        for (id, result) in results where !Task.isCancelled {
            health.record(result, for: id, at: probedAt)
            if case .failed(let why) = result {
                failures += 1
                logger.debug("probe failed", metadata: ["server": "\(id)", "why": "\(why)"])
            }
        }
        health.keepOnly(Set(servers.map(\.id)))
        let probed = servers.map { server in
            var s = server
            s.health = health.record(for: server.id)
            return s
        }
        startups.note(probed)
        let observed = ObservedState(observedAt: probedAt, servers: probed, startup: startups.statistic)
        return (observed, failures)
    }

    /// Takes the saved seasonal profile when this replica begins to act (its first pass, or its
    /// first as leader: the previous leader's history is newer than what a follower saw), in place
    /// of its own. A store that cannot be read is logged and the fleet goes on learning afresh.
    func loadHistory() async {
        guard !historyLoaded else { return }
        historyLoaded = true
        guard let history else { return }
        do {
            if let saved = try await history.load() {
                memory.seasonal = saved
                logger.info("demand history: \(saved.bursts.count) burst(s) remembered from \(history.location)")
            }
        } catch {
            logger.warning("demand history: cannot read \(history.location): \(error); learning bursts afresh")
        }
    }

    /// Saves the seasonal profile at most once a minute (by the pass's `now`), so a restart or a
    /// new leader loses at most a minute of it. Failures are logged and retried a minute later.
    func saveHistory(at now: Date) async {
        guard let history, let profile = memory.seasonal else { return }
        if let last = historySavedAt, now.timeIntervalSince(last) < 60, now >= last { return }
        do {
            try await history.save(profile)
            historySavedAt = now
        } catch {
            logger.warning("demand history: cannot save to \(history.location): \(error); retried next minute")
            historySavedAt = now
        }
    }

    /// Carries out `actions`. With a leadership gate, the gate is asked before each step (all
    /// new launches, which the provider batches, then every other action on its own), and a pass
    /// whose replica lost the lease mid-way applies nothing more: the rest is left to the next
    /// leader's pass (not counted as failed, so nothing backs off).
    func apply(_ actions: [Action], spec: FleetSpec) async -> [ActionOutcome] {
        guard let leadership else { return await provider.apply(actions, spec: spec) }
        return await FencedApply.apply(actions, spec: spec, provider: provider, gate: leadership, logger: logger).outcomes
    }

    /// Logs the plan; `onlyLogged` says why it is not applied (dry run, follower), nil when it is.
    func log(_ plan: Plan, spec: FleetSpec, onlyLogged: String? = nil) {
        let s = plan.summary
        let head = "pass: \(s.servers) server(s), \(s.active) active, \(s.standby) standby, \(s.starting) starting, \(s.unhealthy) unhealthy; free slots \(s.freeSlots) (margins \(s.upscaleMargin)..\(s.downscaleMargin))"
        if plan.isEmpty {
            logger.debug("\(head); no changes")
        } else {
            logger.info("\(head); \(plan.actions.count) action(s)\(onlyLogged.map { " (\($0): not applied)" } ?? "")")
        }
        for action in plan.actions {
            var metadata: Logger.Metadata = ["action": .string(action.kind.rawValue), "reason_code": .string(action.reasonCode.rawValue)]
            if let server = action.server { metadata["server"] = .string(server) }
            if dryRun { metadata["dry_run"] = "true" } else if onlyLogged != nil { metadata["follower"] = "true" }
            let prefix = onlyLogged.map { dryRun ? "would " : "\($0): would " } ?? ""
            logger.info("\(prefix)\(PlanTextRenderer.line(action))", metadata: metadata)
        }
        for limit in plan.limits {
            logger.info("limit: \(limit)")
        }
    }

    /// Probes every server that has an address and is not stopping, at most `probeConcurrency` at
    /// once, within the round's deadline (see ``ProbeRound``): a server that holds its probe past
    /// the deadline counts as a failed probe, is named in the log, and the pass carries on.
    func probeAll(_ servers: [ObservedServer], spec: FleetSpec) async -> [(String, ProbeResult)] {
        let health = spec.gameserver.health
        let targets = servers.compactMap { server -> ProbeRound.Target? in
            guard server.lifecycle != .stopping, let address = server.address else { return nil }
            return ProbeRound.Target(id: server.id, host: address.host, port: health.port ?? address.port)
        }
        let round = ProbeRound(prober: prober, path: health.path, timeout: health.timeout, concurrency: probeConcurrency, clock: clock)
        let outcome = await round.run(targets)
        if !outcome.held.isEmpty {
            let names = outcome.held.map { "\($0.id) (\($0.host):\($0.port))" }.joined(separator: ", ")
            logger.warning("probes of \(names) did not finish within \(DurationText.format(round.deadline(for: targets.count))); counted as failed probes, the pass carries on without them")
        }
        return outcome.results.map { ($0.id, $0.result) }
    }

    /// Folds this pass's outcomes into the backoff, publishes it, and returns how long the kinds
    /// this plan holds are still backing off.
    func noteBackoff(plan: Plan, outcomes: [ActionOutcome], spec: FleetSpec) async -> Duration {
        let at = now()
        backoff.record(outcomes, at: at, cap: spec.gameserver.health.interval)
        await fleet.recordBackoff(backoff.snapshot)
        return backoff.wait(for: Set(plan.actions.map(\.kind)), at: at)
    }
}
