import FleetCore
import Foundation

/// What the running service knows, shared by the reconcile loop (which writes it once per pass) and
/// the HTTP endpoint (which reads it and hands out allocations).
///
/// Allocations count a slot as taken until a probe newer than the allocation reports the truth, so
/// a burst of requests between probes is spread over the fleet instead of all going to one server.
public actor FleetState {
    public private(set) var spec: FleetSpec
    public private(set) var config: ConfigStatus
    public private(set) var observed: ObservedState?
    /// The observation the last pass planned from, before its own actions were folded in (``observed``
    /// is after them): what `GET /v1/observed` serves, so a plan made elsewhere from it with the
    /// same fleet.yaml is the pass's own plan.
    public private(set) var plannedFrom: ObservedState?
    /// The running config's bytes as its source gave them, `${VAR}` references unsubstituted: what
    /// `GET /v1/config` serves. Empty when the state was made without them.
    public private(set) var configBytes: [UInt8]
    public private(set) var lastPlan: Plan?
    public private(set) var lastOutcomes: [ActionOutcome] = []
    public private(set) var lastPassAt: Date?
    public private(set) var lastPassDuration: Duration?
    public private(set) var lastPassError: String?
    /// When the loop last ended a pass, observed or not, on this state's clock: what the watchdog reads.
    public private(set) var lastPassEndedAt: Date?
    /// Action kinds backing off after failures (see ``ActionBackoff``).
    public private(set) var backoff: [ActionBackoff.Entry] = []
    /// The fleet's servers the provider last reported stopped, newest first, with why.
    public private(set) var recentlyStopped: [StoppedServer] = []
    /// The last launches that failed, newest first, with the provider's reason (see ``LaunchFailureBook``).
    var launchFailures = LaunchFailureBook()
    public let dryRun: Bool
    public let metrics: FleetMetrics
    /// When this state was made, on its clock: the watchdog's reference before the first pass.
    let startedAt: Date
    let now: @Sendable () -> Date
    /// What the allocation endpoint hands out from: the published servers, their reservations, the
    /// slots lent to followers and the index (``AllocationBook``); rebuilt at each publish, reload and
    /// loan, updated by each allocation.
    var book: AllocationBook
    /// The allocation settings the public face reads on every request without an actor hop
    /// (rate limit, trusted proxies); replaced when a reload is adopted.
    public nonisolated let allocationSettings: SharedValue<AllocationSpec>
    /// The admin face's token, read per request, so a reload that changes it applies at once.
    public nonisolated let adminToken: SharedValue<String?>
    /// Summaries of the last passes (about an hour's worth), for `/v1/history` and the status page.
    var history: PassHistory
    /// What the allocation endpoint answered in the open demand window (since the last pass closed
    /// one, see ``closeDemandWindow(confirmedBy:at:)``): the one count behind the demand signal,
    /// the pass history and nothing else. The simulator keeps the same type.
    var demandWindow: DemandWindow
    /// With `ha`, while this replica leads: the slots lent to followers (``LoanBook``), off the
    /// books until reported used, given back or expired.
    var loans = LoanBook()
    /// With `ha`: the config each other replica said it runs (see ``ConfigAgreement``).
    var agreement = ConfigAgreement()
    /// With `ha`: the leadership (``LeaseElector/term``) whose first pass published the observation
    /// the books hold. A leader hands out its own slots and lends only when this is its current
    /// term: a pass that began before it led probed before the takeover, and misses what the old
    /// leader and its loans handed out since. Nil: no pass as leader yet.
    var booksTerm: Int?

    public init(spec: FleetSpec, config: ConfigStatus, metrics: FleetMetrics, dryRun: Bool = false, configBytes: [UInt8] = [],
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.spec = spec
        self.config = config
        self.configBytes = configBytes
        self.metrics = metrics
        self.dryRun = dryRun
        self.now = now
        self.book = AllocationBook(spec: spec)
        self.startedAt = now()
        self.demandWindow = DemandWindow(start: startedAt)
        self.allocationSettings = SharedValue(spec.allocation)
        self.adminToken = SharedValue(spec.admin.token)
        self.history = PassHistory(limit: Self.historyLength(spec))
        metrics.recordConfig(spec)
        metrics.recordReloadFailing(config.lastReloadFailed)
    }

    /// True once a pass has finished: the allocation answers are based on a real observation.
    public var ready: Bool { lastPassAt != nil }

    /// What `/readyz` answers: not ready before the first pass, nor when the loop has stalled.
    public func readiness() -> Watchdog.Readiness {
        Watchdog.readiness(lastPassEndedAt: lastPassEndedAt, startedAt: startedAt, health: spec.gameserver.health, now: now())
    }

    /// Takes a new, valid spec read from a source with versions (an SSM parameter, an S3 object):
    /// as ``adopt(_:hash:at:)``, and records the source's version of it and, when given, the bytes
    /// it was parsed from.
    public func adopt(_ spec: FleetSpec, hash: String, version: String?, at time: Date, bytes: [UInt8]? = nil) {
        let source = config.source
        adopt(spec, hash: hash, at: time)
        config.source = source
        config.version = version
        if let bytes { configBytes = bytes }
    }

    /// The running config's status and bytes, read together (a reload between two reads would
    /// pair one version's hash with another's text).
    public func runningConfig() -> (status: ConfigStatus, bytes: [UInt8]) {
        (config, configBytes)
    }

    /// Records a failed read of the config source (the running config stays) and answers how many
    /// reads have failed in a row.
    public func readFailed(_ message: String, nextAttemptAt: Date?, at time: Date) -> Int {
        let failures = (config.readError?.failures ?? 0) + 1
        config.readError = ConfigReadError(message: message, since: config.readError?.since ?? time, failures: failures, nextAttemptAt: nextAttemptAt)
        return failures
    }

    /// Records a read of the config source that worked; true when it ended a run of failed reads.
    public func readSucceeded(at time: Date) -> Bool {
        guard config.readError != nil else { return false }
        config.readError = nil
        return true
    }

    /// Picks a server for one player, or the backup, and counts the slot as taken.
    public func allocate() -> Allocation {
        let start = ContinuousClock.now
        let allocation = book.allocate(at: now())
        demandWindow.count(allocation)
        metrics.recordAllocation(allocation, source: .own, duration: ContinuousClock.now - start)
        return allocation
    }

    /// With `ha`: one allocation from the books of the leadership `term` (the lease keeper's
    /// ``LeaseKeeper/leadingTerm()``, read by the caller). Until a pass that began in that term has
    /// published, the books may miss what the previous leader and its loans handed out, so the
    /// answer is a full fleet's (the backup, or none) and nothing is reserved.
    public func allocate(leading term: Int) -> Allocation {
        guard booksTerm == term else {
            let start = ContinuousClock.now
            let allocation: Allocation = spec.allocation.backup.map { .backup($0) } ?? .none
            demandWindow.count(allocation)
            metrics.recordAllocation(allocation, source: .own, duration: ContinuousClock.now - start)
            return allocation
        }
        return allocate()
    }

    /// The addresses of servers taking players: running, active, answering their probes.
    public func serverList() -> [HostPort] {
        (observed?.servers ?? []).compactMap { Allocator.mayTakePlayers($0) ? $0.address : nil }
    }

    /// Closes the open demand window at `time` and returns what it saw: the answers counted since
    /// the previous close, and the reservations `servers`' probes (this pass's) do not confirm yet.
    /// The counts start again from zero, so an allocation answered while a pass runs falls in
    /// exactly one window: before the close, in this one; after it, in the next. Actor isolation
    /// makes the read and the reset one step.
    public func closeDemandWindow(confirmedBy servers: [ObservedServer], at time: Date) -> DemandSignal {
        let unconfirmed = book.unconfirmed(against: servers).values.reduce(0) { $0 + $1.count }
        return demandWindow.close(at: time, reservedUnconfirmed: unconfirmed)
    }

    /// Records a finished pass. Reservations older than a server's newest good probe are dropped:
    /// that probe already counts those players. The pass history records the demand window the
    /// pass closed (``ObservedState/demand``); an observation without one closes the window here.
    /// With `ha`, `term` is the leadership the pass began in (nil: it began as a follower); a new
    /// term forgets an earlier one's loans (they have ended: see ``HASpec/loanDuration``).
    /// `plannedFrom` is the observation the plan was made from, when `observed` has the pass's
    /// actions folded in (nil: `observed` is it).
    public func publish(observed: ObservedState, plan: Plan, outcomes: [ActionOutcome], at time: Date, duration: Duration, term: Int? = nil,
                        plannedFrom: ObservedState? = nil) {
        if term != booksTerm, term != nil { loans = LoanBook() }
        booksTerm = term
        settleExpiredLoans(at: now())
        let window = observed.demand ?? closeDemandWindow(confirmedBy: observed.servers, at: time)
        self.observed = observed
        self.plannedFrom = plannedFrom ?? observed
        self.lastPlan = plan
        self.lastOutcomes = outcomes
        launchFailures.fold(outcomes, at: time)
        self.lastPassAt = time
        self.lastPassDuration = duration
        self.lastPassError = nil
        passEnded()
        let failed = outcomes.reduce(0) { $0 + ($1.succeeded ? 0 : 1) }
        history.append(PassSummary(at: time, summary: plan.summary, plan: plan, failed: failed,
                                   durationMs: Double(duration.milliseconds), allocations: window.tally))
        book.publish(observed.servers, lent: loans.outstanding)
    }

    /// Records a pass that could not observe the fleet.
    public func passFailed(_ message: String, at time: Date) {
        lastPassError = message
        metrics.recordFailedPass()
        passEnded()
    }

    /// Records the backoff as it stands after a pass.
    public func recordBackoff(_ entries: [ActionBackoff.Entry]) {
        backoff = entries
    }

    func passEnded() {
        let ended = now()
        lastPassEndedAt = ended
        metrics.recordPassEnd(at: ended)
    }

    /// Takes a new, valid spec from a reload.
    /// Passes kept in the history: an hour at the pass interval, at least 60, at most 7,200.
    static func historyLength(_ spec: FleetSpec) -> Int {
        let interval = max(spec.gameserver.health.interval.seconds, 0.001)
        return min(7_200, max(60, Int(min(3600 / interval, 7_200))))
    }

    /// The kept pass summaries, oldest first; with `since`, only later ones.
    public func passHistory(since: Date? = nil) -> [PassSummary] {
        history.summaries(since: since)
    }

    public func adopt(_ spec: FleetSpec, hash: String, at time: Date) {
        allocationSettings.value = spec.allocation
        adminToken.value = spec.admin.token
        self.spec = spec
        book.adopt(spec, lent: loans.outstanding)
        config = ConfigStatus(path: config.path, hash: hash, loadedAt: time, lastReloadAt: time, lastReloadErrors: [])
        metrics.recordReload(applied: true)
        metrics.recordConfig(spec)
        metrics.recordReloadFailing(config.lastReloadFailed)
    }

    /// Records a refused reload; the running spec stays as it was.
    public func refuse(errors: [String], at time: Date) {
        config.lastReloadAt = time
        config.lastReloadErrors = errors
        metrics.recordReload(applied: false)
        metrics.recordReloadFailing(config.lastReloadFailed)
    }

    /// Records a reload that found the running file unchanged; clears errors of an earlier refusal.
    public func reloadMatchesRunning(at time: Date) {
        guard config.lastReloadFailed else { return }
        config.lastReloadAt = time
        config.lastReloadErrors = []
        metrics.recordReloadFailing(config.lastReloadFailed)
    }

    /// Keeps the provider's latest account of stopped servers (each observed pass hands it over).
    public func noteRecentlyStopped(_ stopped: [StoppedServer]) {
        recentlyStopped = stopped
    }

    /// Everything for `GET /v1/fleet`.
    public func snapshot() -> FleetSnapshot {
        FleetSnapshot(
            fleet: spec.name, provider: spec.provider.rawValue, dryRun: dryRun, ready: ready, config: config,
            lastPassAt: lastPassAt, lastPassDurationMs: lastPassDuration.map { Double($0.milliseconds) },
            lastPassError: lastPassError, observed: observed, lastPlan: lastPlan, lastOutcomes: lastOutcomes,
            reservedSlots: book.reservedSlots(), backoff: backoff,
            capacity: spec.gameserver.capacity, taskDefinition: spec.taskDefinition,
            intervalMs: Double(spec.gameserver.health.interval.milliseconds), role: "single replica",
            recentlyStopped: recentlyStopped, launchFailures: launchFailures.failures,
            loans: booksTerm == nil ? nil : loanSnapshots())
    }
}

/// Which fleet.yaml is running and how the last reload went.
public struct ConfigStatus: Sendable, Equatable, Codable {
    public var path: String
    /// A hash of the running file's bytes (FNV-1a, hex), to tell which version is active.
    public var hash: String
    public var loadedAt: Date
    public var lastReloadAt: Date?
    /// Empty when the last reload was applied (or none was tried); otherwise why it was refused.
    public var lastReloadErrors: [String]

    /// What kind of source the config is read from: `file`, `ssm` or `s3` (``path`` names it as
    /// `--config` does). Nil in snapshots of an older serve.
    public var source: String?
    /// The source's version of the running config: an SSM parameter's version number, an S3
    /// object's entity tag; nil for a file (the ``hash`` tells file versions apart).
    public var version: String?
    /// While the source cannot be read (deleted, throttled, access denied): why, since when, how
    /// many reads failed in a row and when the next is due; nil once a read works again.
    public var readError: ConfigReadError?

    public init(path: String, hash: String, loadedAt: Date, lastReloadAt: Date? = nil, lastReloadErrors: [String] = [],
                source: String? = nil, version: String? = nil) {
        self.path = path
        self.hash = hash
        self.loadedAt = loadedAt
        self.lastReloadAt = lastReloadAt
        self.lastReloadErrors = lastReloadErrors
        self.source = source
        self.version = version
    }

    public var lastReloadFailed: Bool { !lastReloadErrors.isEmpty }
}

/// A config source that cannot be read: the running config stays and the watcher backs off.
public struct ConfigReadError: Sendable, Equatable, Codable {
    /// The failure, naming the source and the request.
    public var message: String
    /// When the first read of this run of failures failed.
    public var since: Date
    /// Reads failed in a row.
    public var failures: Int
    /// When the watcher reads again (nil after a read asked by hand, e.g. SIGHUP, outside the polls).
    public var nextAttemptAt: Date?

    public init(message: String, since: Date, failures: Int, nextAttemptAt: Date?) {
        self.message = message
        self.since = since
        self.failures = failures
        self.nextAttemptAt = nextAttemptAt
    }
}

/// The JSON body of `GET /v1/fleet`.
public struct FleetSnapshot: Sendable, Codable {
    public var fleet: String
    public var provider: String
    public var dryRun: Bool
    public var ready: Bool
    public var config: ConfigStatus
    public var lastPassAt: Date?
    public var lastPassDurationMs: Double?
    public var lastPassError: String?
    public var observed: ObservedState?
    public var lastPlan: Plan?
    public var lastOutcomes: [ActionOutcome]
    public var reservedSlots: [String: Int]
    /// Action kinds backing off after failures: kind, failures in a row, next attempt, last error.
    public var backoff: [ActionBackoff.Entry]
    /// Player slots per gameserver, and what current servers run (for the status page's tiles).
    public var capacity: Int?
    public var taskDefinition: String?
    /// The pass interval: how often the status page polls.
    public var intervalMs: Double?
    /// This replica's role; "single replica" until high availability exists.
    public var role: String?
    /// With `ha`: this replica's role and the lease as it sees it; nil for a single replica.
    public var ha: HASnapshot?
    /// The fleet's servers that stopped lately, newest first, with the provider's code and reason
    /// ("why did my server go"); empty for providers that keep none (local). Optional so a
    /// snapshot from an older serve still reads.
    public var recentlyStopped: [StoppedServer]?
    /// The last launches that failed (at most 20), newest first, with the provider's reason code
    /// (ECS RunTask's `RESOURCE:MEMORY`, `AGENT`, …) and the error: "why does my fleet not grow".
    /// Optional so a snapshot from an older serve still reads.
    public var launchFailures: [LaunchFailure]?
    /// With `ha`, on the leader: what each follower holds on loan (empty when none does); nil on
    /// a replica that has not led a pass.
    public var loans: [LoanSnapshot]?
    /// With `ha`, on a follower: the slots it holds from the leader; nil on the leader.
    public var borrowed: BorrowedSnapshot?
}

/// FNV-1a over bytes, as 16 hex digits: a cheap fingerprint of a config file.
public func contentHash(_ bytes: some Sequence<UInt8>) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
