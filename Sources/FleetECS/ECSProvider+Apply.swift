import AWSClient
import FleetCore
import Foundation

extension ECSProvider {
    /// One unit of work of a plan: a RunTask (or RunInstances) batch of launches, or one action
    /// on one server. `retried` marks a RunTask that reuses the token of a launch whose answer
    /// was lost.
    enum Job: Sendable {
        case runTasks(indices: [Int], token: String, request: ECSRunTaskRequest, retried: Bool)
        case runHosts(indices: [Int], token: String, request: EC2RunInstancesRequest)
        case single(index: Int, host: String?)
    }

    /// What a job did.
    struct JobResult: Sendable {
        var outcomes: [(Int, ActionOutcome)] = []
        var launch: LaunchAnswer?
        var launchedHosts: [EC2Instance] = []
        var terminatedHosts: [String] = []
        /// The token of a RunInstances call: answered (`true`), or failed, maybe after EC2 acted.
        var hostToken: (token: String, count: Int, answered: Bool)?
        /// How long the pacer held the job's calls, and by which bucket the longest.
        var paced: (seconds: Double, by: ECSRateLimits.Bucket)?
    }

    /// `outcome` with the pacing of its job.
    static func noting(_ paced: (seconds: Double, by: ECSRateLimits.Bucket)?, on outcome: ActionOutcome) -> ActionOutcome {
        guard let paced else { return outcome }
        var noted = outcome
        noted.pacedSeconds = paced.seconds
        noted.pacedBy = "\(paced.by.name) \(paced.by.figures)"
        return noted
    }

    /// Carries out `actions`: launches in batches, the rest one call each, at most
    /// ``Settings/concurrency`` calls at once. Outcomes come back in the actions' order.
    func carryOut(_ actions: [Action], spec: FleetSpec, ecsSpec: ECSSpec) async -> [ActionOutcome] {
        let current = await currentTaskDefinition(ecsSpec, seen: [])
        let hostsMode = ecsSpec.launchTemplate != nil && ecsSpec.launchType == .ec2
        // A launch that names a host places a gameserver on it (host repair); the rest are new servers.
        let launches = actions.indices.filter { actions[$0].kind == .launch && actions[$0].server == nil }
        let placements = actions.indices.filter { actions[$0].kind == .launch && actions[$0].server != nil }

        var jobs: [Job] = []
        if hostsMode, let template = ecsSpec.launchTemplate {
            // As for tasks: a RunInstances whose answer was lost is retried under its token (EC2
            // answers a repeated ClientToken with the first call's instances).
            for batch in intentBatches(launches, spec: spec, current: current) {
                jobs.append(.runHosts(indices: batch.indices, token: batch.token, request: hostRequest(template: template, fleet: spec.name, count: batch.indices.count, token: batch.token)))
            }
        } else {
            jobs += launchJobs(launches, spec: spec, ecsSpec: ecsSpec, current: current)
        }
        for index in actions.indices where actions[index].kind != .launch {
            jobs.append(.single(index: index, host: actions[index].server.flatMap { hosts.instanceOfTask[$0] }))
        }

        var outcomes = actions.map { ActionOutcome(action: $0, error: "not carried out") }
        for (index, outcome) in await placeGameservers(actions, indices: placements, spec: spec, ecsSpec: ecsSpec, current: current) {
            outcomes[index] = outcome
        }
        let relaunch = await runJobs(jobs, actions: actions, spec: spec, ecsSpec: ecsSpec, into: &outcomes)
        if !relaunch.isEmpty {
            // A retried token was answered with tasks that are gone or already listed: that launch
            // did not happen now, so these servers are launched under a new intent.
            let fresh = relaunch.chunked(ECSRunTaskRequest.maxCount).map { batch -> Job in
                let token = newLaunchToken(spec: spec, current: current, count: batch.count)
                return .runTasks(indices: batch, token: token, request: runTaskRequest(spec: spec, ecsSpec: ecsSpec, current: current, count: batch.count, token: token), retried: false)
            }
            _ = await runJobs(fresh, actions: actions, spec: spec, ecsSpec: ecsSpec, into: &outcomes)
        }
        for outcome in outcomes where !outcome.succeeded {
            logger.warning("\(outcome.action.kind.rawValue) \(outcome.action.server ?? "") failed: \(outcome.error ?? "")")
        }
        if let longest = outcomes.filter({ $0.pacedSeconds != nil }).max(by: { $0.pacedSeconds! < $1.pacedSeconds! }), let note = longest.pacingNote {
            let held = outcomes.filter { $0.pacedSeconds != nil }.count
            logger.info("\(held) of \(outcomes.count) action(s) waited for ECS's rate; the longest \(note)")
        }
        return outcomes
    }

    /// Runs `jobs` side by side and books what they did.
    /// - Returns: the indices of launches to make again under a new token.
    func runJobs(_ jobs: [Job], actions: [Action], spec: FleetSpec, ecsSpec: ECSSpec, into outcomes: inout [ActionOutcome]) async -> [Int] {
        let ecs = self.ecs, ec2 = self.ec2, cluster = ecsSpec.cluster
        let results = await concurrently(jobs, limit: settings.concurrency) { job in
            // What the pacer held this job's calls back is told on each of its actions.
            let tally = PacingTally()
            var result = await PacingTally.$current.withValue(tally) {
                await Self.run(job, actions: actions, ecs: ecs, ec2: ec2, cluster: cluster)
            }
            result.paced = tally.paced
            return result
        }
        let time = now()
        var relaunch: [Int] = []
        for result in results {
            for (index, outcome) in result.outcomes { outcomes[index] = Self.noting(result.paced, on: outcome) }
            if let launch = result.launch {
                let settled = settle(launch, actions: actions, spec: spec, at: time)
                for (index, outcome) in settled.outcomes { outcomes[index] = Self.noting(result.paced, on: outcome) }
                relaunch += settled.relaunch
            }
            for instance in result.launchedHosts where hosts.fleetInstances[instance.instanceID] == nil {
                hosts.pending[instance.instanceID] = time
                hosts.fleetInstances[instance.instanceID] = time
            }
            if let host = result.hostToken {
                if host.answered {
                    expectations.forget(token: host.token)
                } else {
                    expectations.uncertain(token: host.token, count: host.count, taskDefinition: spec.taskDefinition, at: time)
                }
            }
            for id in result.terminatedHosts { hosts.forget(id) }
        }
        return relaunch.sorted()
    }

    func runTaskRequest(spec: FleetSpec, ecsSpec: ECSSpec, current: CurrentTaskDefinition, count: Int, token: String) -> ECSRunTaskRequest {
        var network: ECSRunTaskRequest.NetworkConfiguration?
        if !ecsSpec.subnets.isEmpty {
            network = .init(awsvpcConfiguration: .init(
                subnets: ecsSpec.subnets,
                securityGroups: ecsSpec.securityGroups.isEmpty ? nil : ecsSpec.securityGroups,
                // ECS accepts a public IP only for Fargate tasks.
                assignPublicIp: ecsSpec.launchType == .fargate ? (ecsSpec.assignPublicIp ? "ENABLED" : "DISABLED") : nil))
        }
        let strategy = ecsSpec.capacityProviderStrategy.map {
            ECSRunTaskRequest.CapacityProviderStrategyItem(capacityProvider: $0.capacityProvider, weight: $0.weight, base: $0.base)
        }
        return ECSRunTaskRequest(
            cluster: ecsSpec.cluster, taskDefinition: current.launchName, count: count,
            startedBy: FleetLabels.startedBy(fleet: spec.name),
            tags: FleetLabels.launchTags(fleet: spec.name).map { ECSTag(key: $0.key, value: $0.value) },
            clientToken: token,
            launchType: strategy.isEmpty ? ecsSpec.launchType.rawValue : nil,
            networkConfiguration: network,
            capacityProviderStrategy: strategy.isEmpty ? nil : strategy)
    }

    /// Runs one job; never throws: every failure becomes the outcome of the actions concerned.
    static func run(_ job: Job, actions: [Action], ecs: any ECSAPI, ec2: any EC2API, cluster: String) async -> JobResult {
        var result = JobResult()
        switch job {
        case .runTasks(let indices, let token, let request, let retried):
            // The outcomes are settled by the provider, which knows what was listed.
            do {
                let answer = try await ecs.runTask(request)
                result.launch = LaunchAnswer(token: token, indices: indices, retried: retried, tasks: answer.tasks, failures: answer.failures, error: nil)
            } catch {
                result.launch = LaunchAnswer(
                    token: token, indices: indices, retried: retried, tasks: nil, failures: [],
                    error: describe(error, operation: "RunTask", service: "ecs"))
            }
        case .runHosts(let indices, let token, let request):
            do {
                let instances = try await ec2.runInstances(request)
                result.launchedHosts = instances
                result.hostToken = (token, indices.count, true)
                let missing = missingLaunches(started: instances.count, asked: indices.count, failures: [], operation: "RunInstances")
                for (position, index) in indices.enumerated() {
                    result.outcomes.append((index, position < instances.count
                        ? ActionOutcome(action: actions[index], launched: instances[position].instanceID)
                        : ActionOutcome(action: actions[index], error: missing)))
                }
            } catch {
                let message = describe(error, operation: "RunInstances", service: "ec2")
                    + "; it may have reached EC2, so the next launch retries its token \(token)"
                result.hostToken = (token, indices.count, false)
                result.outcomes = indices.map { ($0, ActionOutcome(action: actions[$0], error: message)) }
            }
        case .single(let index, let host):
            let action = actions[index]
            result.outcomes = [(index, await runSingle(action, host: host, ecs: ecs, ec2: ec2, cluster: cluster, terminated: &result.terminatedHosts))]
        }
        return result
    }

    /// Standby, activate or stop of one server.
    static func runSingle(_ action: Action, host: String?, ecs: any ECSAPI, ec2: any EC2API, cluster: String, terminated: inout [String]) async -> ActionOutcome {
        guard let server = action.server, !server.isEmpty else {
            return ActionOutcome(action: action, error: "\(action.kind.rawValue) names no server")
        }
        // A gameserver host still waiting for its task is known by its instance id.
        let isHost = server.hasPrefix("i-")
        var operation = "?"
        do {
            switch action.kind {
            case .standby:
                guard !isHost else { return ActionOutcome(action: action, error: "\(server) has no task yet to park") }
                operation = "TagResource"
                try await ecs.tagResource(server, tags: [ECSTag(key: FleetLabels.standbyTag, value: "true")])
            case .activate:
                guard !isHost else { return ActionOutcome(action: action, error: "\(server) has no task yet to activate") }
                operation = "UntagResource"
                try await ecs.untagResource(server, keys: [FleetLabels.standbyTag])
            case .stop:
                if isHost {
                    operation = "TerminateInstances"
                    try await ec2.terminateInstances(ids: [server])
                    terminated.append(server)
                } else {
                    operation = "StopTask"
                    try await ecs.stopTask(cluster: cluster, task: server, reason: FleetLabels.stopReason(action.reason))
                    if let host {
                        // The host was this gameserver's alone; it goes with it.
                        operation = "TerminateInstances"
                        try await ec2.terminateInstances(ids: [host])
                        terminated.append(host)
                    }
                }
            case .launch:
                return ActionOutcome(action: action, error: "a launch is not a single-server action")
            }
            return ActionOutcome(action: action)
        } catch {
            return ActionOutcome(action: action, error: describe(error, operation: operation, service: operation == "TerminateInstances" ? "ec2" : "ecs"))
        }
    }

    /// Why a launch batch started `started` of `asked`, from ECS's `failures` when it gave any.
    static func missingLaunches(started: Int, asked: Int, failures: [ECSFailure], operation: String) -> String {
        let head = "\(operation) started \(started) of \(asked)"
        guard !failures.isEmpty else { return head + " and reported no failure (no room in the cluster?)" }
        let listed = failures.map { failure in
            [failure.reason, failure.detail, failure.arn].compactMap { $0 }.joined(separator: " ")
        }
        return head + "; failures: " + listed.joined(separator: "; ")
    }

    /// ECS's reason for the `missing`-th launch of a batch that did not start (0 for the first):
    /// RunTask gives one failure per container instance or capacity provider it could not use, not
    /// one per task, so the launches past the last failure share the last one's reason. Nil when
    /// ECS gave no failure or no reason.
    static func failureCode(missing: Int, failures: [ECSFailure]) -> String? {
        guard !failures.isEmpty else { return nil }
        return failures[min(max(missing, 0), failures.count - 1)].reason
    }

    /// An error as an outcome's text, naming the operation. The AWS client's errors already do
    /// (`ecs RunTask failed after 3 attempts: HTTP 400 ThrottlingException: …`).
    static func describe(_ error: any Error, operation: String, service: String) -> String {
        switch error {
        case let error as AWSServiceError: return error.description
        case let error as AWSCallError: return error.description
        default: return "\(service) \(operation) failed: \(error)"
        }
    }
}
