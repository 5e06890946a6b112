import AWSClient
import FleetCore
import Foundation

/// Launch intents, their tokens, and the launches expected until ECS lists them.
///
/// **Tokens name an intent.** A new launch batch gets a token derived from the fleet, the cluster,
/// what it runs, how many tasks it asks for, this provider's ``ECSProvider/origin`` (random per
/// process) and a counter of intents this provider formed: stable for every retry of that batch
/// (the AWS client's own retries, and the next pass's retry of a launch whose answer was lost)
/// and different for any new launch, in this process or another (`gamefleet apply` run twice).
///
/// **Expectations.** The tasks RunTask answers with are expected (``LaunchExpectations``) until a
/// listing shows them, a lookup finds them gone, or `startupGrace` passes; the planner counts them
/// as servers still starting. A RunTask that failed may have started tasks before its answer was
/// lost: it stays expected under its token, uncounted, and the next launch of that size sends the
/// same token, so ECS either starts it now or answers with what the first call started. A retried
/// token answered with tasks that are already stopped or already listed started nothing now: the
/// launch is made again under a new token, so a replacement that died unseen never leaves the
/// fleet short.
extension ECSProvider {
    /// What a RunTask call answered; `tasks` is nil when the call failed (`error` says how).
    struct LaunchAnswer: Sendable {
        var token: String
        var indices: [Int]
        var retried: Bool
        var tasks: [ECSTask]?
        var failures: [ECSFailure]
        var error: String?
    }

    /// The token of a new launch intent of `count` tasks.
    func newLaunchToken(spec: FleetSpec, current: CurrentTaskDefinition, count: Int) -> String {
        intents += 1
        return ClientToken.derive([spec.name, spec.ecs?.cluster ?? "", current.launchName, String(count), origin, String(intents)])
    }

    /// The launches at `launches` grouped into batches with their tokens: launches whose answer
    /// was lost are retried first, under their own tokens, when the plan launches at least as
    /// many; the rest get new intents in batches of ``ECSRunTaskRequest/maxCount``.
    func intentBatches(_ launches: [Int], spec: FleetSpec, current: CurrentTaskDefinition) -> [(indices: [Int], token: String, retried: Bool)] {
        var remaining = launches[...]
        var batches: [(indices: [Int], token: String, retried: Bool)] = []
        for batch in expectations.uncertainBatches where batch.taskDefinition == spec.taskDefinition && batch.count <= remaining.count {
            batches.append((Array(remaining.prefix(batch.count)), batch.token, true))
            remaining = remaining.dropFirst(batch.count)
        }
        for indices in Array(remaining).chunked(ECSRunTaskRequest.maxCount) {
            batches.append((indices, newLaunchToken(spec: spec, current: current, count: indices.count), false))
        }
        return batches
    }

    /// RunTask jobs for the launches at `launches`, one per ``intentBatches(_:spec:current:)``.
    func launchJobs(_ launches: [Int], spec: FleetSpec, ecsSpec: ECSSpec, current: CurrentTaskDefinition) -> [Job] {
        intentBatches(launches, spec: spec, current: current).map { batch in
            let request = runTaskRequest(spec: spec, ecsSpec: ecsSpec, current: current, count: batch.indices.count, token: batch.token)
            return .runTasks(indices: batch.indices, token: batch.token, request: request, retried: batch.retried)
        }
    }

    /// Books a RunTask answer into the expectations and turns it into the launches' outcomes.
    /// - Returns: the outcomes, and the launches to make again under a new token (positions a
    ///   retried token answered with a stopped or already listed task, or not at all).
    func settle(_ answer: LaunchAnswer, actions: [Action], spec: FleetSpec, at time: Date) -> (outcomes: [(Int, ActionOutcome)], relaunch: [Int]) {
        guard let tasks = answer.tasks else {
            expectations.uncertain(token: answer.token, count: answer.indices.count, taskDefinition: spec.taskDefinition, at: time)
            let message = (answer.error ?? "RunTask failed")
                + "; it may have reached ECS, so the next launch retries its token \(answer.token)"
            return (answer.indices.map { ($0, ActionOutcome(action: actions[$0], error: message)) }, [])
        }
        var started = tasks
        if answer.retried {
            started = tasks.filter { task in
                let lifecycle = TaskLifecycle.of(lastStatus: task.lastStatus, desiredStatus: task.desiredStatus)
                return lifecycle != nil && lifecycle != .stopping && !lastListed.contains(task.taskArn)
            }
            if started.count < answer.indices.count {
                logger.info("retried launch token \(answer.token) was answered with \(tasks.count - started.count) task(s) already stopped or listed: launching \(answer.indices.count - started.count) again under a new token")
            }
        }
        let arns = started.map(\.taskArn)
        expectations.launched(token: answer.token, servers: arns, taskDefinition: spec.taskDefinition, at: time)
        for arn in arns where firstSeen[arn] == nil { firstSeen[arn] = time }

        var outcomes: [(Int, ActionOutcome)] = []
        var relaunch: [Int] = []
        let missing = Self.missingLaunches(started: started.count, asked: answer.indices.count, failures: answer.failures, operation: "RunTask")
        for (position, index) in answer.indices.enumerated() {
            if position < arns.count {
                outcomes.append((index, ActionOutcome(action: actions[index], launched: arns[position])))
            } else if answer.retried {
                relaunch.append(index)
            } else {
                let code = Self.failureCode(missing: position - arns.count, failures: answer.failures)
                outcomes.append((index, ActionOutcome(action: actions[index], error: missing, failureCode: code)))
            }
        }
        return (outcomes, relaunch)
    }

    /// Folds an observation into the expectations: tasks listed are no longer expected; expected
    /// tasks the listing left out are looked up by ARN (DescribeTasks reads what ListTasks has not
    /// caught up with), and those stopped or stopping died before they were ever listed.
    func settleExpectations(listed: [ECSTask], spec: FleetSpec, ecsSpec: ECSSpec, at time: Date) async {
        var live: Set<String> = []
        var gone: Set<String> = []
        for task in listed {
            switch TaskLifecycle.of(lastStatus: task.lastStatus, desiredStatus: task.desiredStatus) {
            case nil: gone.insert(task.taskArn)
            case .some: live.insert(task.taskArn)
            }
        }
        lastListed = live
        let listedArns = Set(listed.map(\.taskArn))
        let unlisted = expectations.confirmedServers.filter { !listedArns.contains($0) }
        if !unlisted.isEmpty {
            do {
                for task in try await describe(unlisted, cluster: ecsSpec.cluster, ecs: ecs) {
                    let lifecycle = TaskLifecycle.of(lastStatus: task.lastStatus, desiredStatus: task.desiredStatus)
                    if lifecycle == nil || lifecycle == .stopping { gone.insert(task.taskArn) }
                }
            } catch {
                // They stay expected; the next observation looks again.
                logger.info("cannot look up \(unlisted.count) launched task(s) not listed yet: \(error)")
            }
        }
        for task in expectations.entries where task.server.map(gone.contains) == true {
            logger.warning("launched task \(task.server ?? "") stopped before ECS ever listed it; it is no longer counted")
        }
        let expired = expectations.observe(listed: live, gone: gone, at: time, timeout: spec.gameserver.health.startupGrace.seconds)
        for entry in expired {
            logger.warning("launch \(entry.server ?? "under token \(entry.token)") not listed within startupGrace \(DurationText.format(spec.gameserver.health.startupGrace)); no longer counted")
        }
    }
}
