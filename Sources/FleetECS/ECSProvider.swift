import AWSClient
import FleetCore
import Foundation
import Logging

/// The `ecs` provider: gameservers are ECS tasks.
///
/// **Observing** lists the tasks started with the fleet's ``FleetLabels/startedBy(fleet:)`` value
/// (ListTasks pages, then DescribeTasks in batches of 100 with tags) and maps each to an
/// ``ObservedServer``: lifecycle by ``TaskLifecycle``, standby from the ``FleetLabels/standbyTag``
/// tag, launch time from `createdAt`/`startedAt` (or, when ECS leaves them out, as moto does, the
/// first time this provider saw the task), and the address by ``TaskAddress``. Addresses, task
/// definitions and host IPs never change during a task's life, so they are looked up once and
/// kept per task ARN, task definition ARN and container instance ARN: a steady pass over N tasks
/// costs ⌈N/100⌉ ListTasks pages and ⌈N/100⌉ DescribeTasks calls, plus lookups for new tasks only.
///
/// **Task definitions.** A task is current when it runs the spec's `family:revision`, or, when
/// the spec names only a family, the family's latest ACTIVE revision (looked up with
/// DescribeTaskDefinition, again after ``Settings/taskDefinitionRefresh`` or as soon as a task of
/// a newer revision shows up). A current task reports the spec's own string as its
/// ``ObservedServer/taskDefinition``, any other `family:revision`, so the planner's plain string
/// comparison finds outdated servers. Launches run the resolved `family:revision`, so what is
/// launched is what is counted as current.
///
/// **Applying**: launches become RunTask calls of up to 10 tasks with an idempotency token
/// each (see `ECSProvider+Expectations.swift`: the token names the launch's intent, and the tasks
/// are expected until listed); standby and activate tag and untag the task; stop is StopTask with the action's reason.
/// With a launch template (EC2 launch type), each gameserver gets its own instance: see
/// `ECSProvider+Hosts.swift`. Every action gets its own outcome; a failed one names the AWS
/// operation and error, and is planned again on a later pass.
///
/// **Errors.** ``servers(spec:)`` throws only when the fleet cannot be listed (ListTasks or
/// DescribeTasks fails): a half-described fleet would look like missing servers and make the
/// planner launch replacements. A failed lookup of one task's address leaves that server without
/// an address for this pass, with ``ObservedServer/addressLookupError`` saying why: the planner
/// keeps it as unknown and it is looked up again next pass.
///
/// **Read-only observation.** Observing makes only Describe*/List* calls; whatever it finds to
/// repair (hosts, with a launch template) is reported for the planner, and the repair is an
/// action of the plan.
public actor ECSProvider: FleetProvider {
    /// Tuning that fleet.yaml does not (yet) carry.
    public struct Settings: Sendable {
        /// How long the latest revision of a family named without one is trusted before it is
        /// looked up again. 5 minutes by default: a new revision is adopted within that time, or at
        /// once when a task of a newer revision appears.
        public var taskDefinitionRefresh: Duration
        /// Most AWS calls in flight at once, within one observe or apply.
        public var concurrency: Int
        /// How the live clients retry (``live(spec:environment:logger:settings:)`` only).
        public var retryPolicy: RetryPolicy
        /// How long one attempt of an AWS call may take (live clients only).
        public var callTimeout: Duration
        /// The ECS throttling buckets the provider keeps its calls under (see ``ECSRateLimits``):
        /// ECS's documented figures by default; nil sends every call at once.
        public var rateLimits: ECSRateLimits?

        /// The defaults suit production.
        public init(
            taskDefinitionRefresh: Duration = .seconds(300), concurrency: Int = 8,
            retryPolicy: RetryPolicy = .standard, callTimeout: Duration = .seconds(30),
            rateLimits: ECSRateLimits? = .documented
        ) {
            self.taskDefinitionRefresh = taskDefinitionRefresh
            self.concurrency = max(1, concurrency)
            self.retryPolicy = retryPolicy
            self.callTimeout = callTimeout
            self.rateLimits = rateLimits
        }
    }

    let ecs: any ECSAPI
    let ec2: any EC2API
    let settings: Settings
    let now: @Sendable () -> Date
    let closeClients: @Sendable () async -> Void
    /// Every AWS call this provider makes, by operation.
    public nonisolated let calls: AWSCallCounter
    /// Where the provider logs (label `gamefleet.ecs` unless given).
    public nonisolated let logger: Logger
    /// Paces the ECS and EC2 calls to ``Settings/rateLimits``; nil when they are not paced.
    public nonisolated let pacer: ECSRequestPacer?

    // What never changes for the lifetime of a task, definition or instance, kept so a steady
    // pass does not ask again. Entries of tasks that are gone are dropped every pass.
    var addresses: [String: HostPort] = [:]
    var definitions: [String: ECSTaskDefinition] = [:]
    var hostAddresses: [String: HostAddresses] = [:]
    /// Container instance ARN → EC2 instance id.
    var instanceIDs: [String: String] = [:]
    var firstSeen: [String: Date] = [:]
    /// Why the address of a task could not be looked up in the last observation (task ARN →
    /// the failed call and its error); reported as ``ObservedServer/addressLookupError``.
    var addressLookupErrors: [String: String] = [:]
    /// The latest ACTIVE revision of a family, and when it was looked up.
    var latestRevisions: [String: (revision: Int, at: Date)] = [:]
    /// The live task ARNs of the last observation: a retried token answered with one of these
    /// started nothing new.
    var lastListed: Set<String> = []
    /// Launches made and not listed yet; see ``LaunchExpectations``.
    var expectations = LaunchExpectations()
    /// This provider's part of every new launch intent, so two processes (or two runs of
    /// `gamefleet apply`) never mint the same token.
    let origin: String
    /// How many launch intents this provider has minted: the rest of a new intent.
    var intents = 0
    var hosts = HostBook()
    /// The fleet's tasks seen stopping, with ECS's reasons; see ``StoppedTaskBook``.
    var stoppedTasks = StoppedTaskBook()

    /// Creates a provider over the given ECS and EC2 operations (live ones, or fakes in tests).
    /// - Parameters:
    ///   - ecs: the ECS operations.
    ///   - ec2: the EC2 operations.
    ///   - settings: tuning; the defaults suit production.
    ///   - logger: where lookups that failed and launches are logged.
    ///   - now: the wall clock (launch times of tasks ECS gives none for, refresh ages).
    ///   - closeClients: what ``shutdown()`` runs, e.g. shutting the HTTP client down.
    ///   - origin: what sets this provider's launch tokens apart from any other process's; a
    ///     random UUID unless a test fixes it.
    ///   - clock: what the pacing of ECS and EC2 calls waits on (``Settings/rateLimits``); tests pass a
    ///     virtual one.
    public init(
        ecs: any ECSAPI, ec2: any EC2API, settings: Settings = Settings(),
        logger: Logger = Logger(label: "gamefleet.ecs"), now: @escaping @Sendable () -> Date = { Date() },
        closeClients: @escaping @Sendable () async -> Void = {}, origin: String = UUID().uuidString,
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        let counter = AWSCallCounter()
        self.calls = counter
        let pacer = settings.rateLimits.map { ECSRequestPacer(limits: $0, clock: clock) }
        self.pacer = pacer
        // Counted as asked, then paced: a call that waits its turn is still one call.
        self.ecs = CountingECS(base: pacer.map { PacedECS(base: ecs, pacer: $0) } ?? ecs, counter: counter)
        self.ec2 = CountingEC2(base: pacer.map { PacedEC2(base: ec2, pacer: $0) } ?? ec2, counter: counter)
        self.settings = settings
        self.logger = logger
        self.now = now
        self.closeClients = closeClients
        self.origin = origin
    }

    public func servers(spec: FleetSpec) async throws -> [ObservedServer] {
        guard let settings = spec.ecs else { throw ECSProviderError.noECSSettings(fleet: spec.name) }
        return try await observe(spec: spec, ecsSpec: settings)
    }

    public func expectedLaunches(spec: FleetSpec) async -> [ExpectedLaunch] {
        expectations.entries
    }

    /// The last 20 tasks of the fleet this provider saw stop, newest first, with ECS's `stopCode`
    /// and `stoppedReason`; see ``StoppedTaskBook``.
    public func recentlyStopped(spec: FleetSpec) async -> [StoppedServer] {
        stoppedTasks.stopped
    }

    public func apply(_ actions: [Action], spec: FleetSpec) async -> [ActionOutcome] {
        guard let settings = spec.ecs else {
            return actions.map { ActionOutcome(action: $0, error: ECSProviderError.noECSSettings(fleet: spec.name).description) }
        }
        return await carryOut(actions, spec: spec, ecsSpec: settings)
    }

    /// Closes the HTTP client of a provider made by ``live(spec:environment:logger:settings:)``.
    /// The tasks keep running: they are ECS's, not this process's. Calls after this fail.
    public func shutdown() async {
        await closeClients()
    }
}

/// Why the provider could not do something, beyond an AWS error.
public enum ECSProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The spec has no `ecs:` section.
    case noECSSettings(fleet: String)
    /// ListTasks handed back a page token it had already given.
    case repeatingPageToken(operation: String)

    /// One line for logs and outcomes.
    public var description: String {
        switch self {
        case .noECSSettings(let fleet):
            return "fleet \(fleet) has no ecs settings"
        case .repeatingPageToken(let operation):
            return "ecs \(operation) repeated a page token; the listing would never end"
        }
    }
}
