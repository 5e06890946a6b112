import AWSClient
import FleetCore
import Foundation

/// One EC2 instance per gameserver, when `ecs.launchTemplate` is set (EC2 launch type).
///
/// - launch: RunInstances with the launch template, tagged with the fleet (and an idempotency
///   token per batch). The instance boots, its ECS agent registers it in the cluster (the
///   template's user data names the cluster), and then
/// - observing reports it, once registered, as a `pending` server with the instance id as its id
///   and ``HostCondition/awaitingGameserver``; the planner plans a `launch` naming the host, which
///   applying carries out as RunTask with a `memberOf(ec2InstanceId == i-…)` placement constraint
///   and a token derived from the instance id. Until then the planner counts the host and does not
///   launch again; if it never comes up within `startupGrace`, the planner stops it, which
///   terminates the instance. Observing itself never calls RunTask or TerminateInstances.
/// - stop: StopTask, then TerminateInstances of the task's host. A host whose gameserver ended on
///   its own (seen running here before, now gone) is reported with
///   ``HostCondition/gameserverEnded``, and the plan stops (terminates) it.
/// - after a restart: the hosts that registered are found again from ListContainerInstances →
///   DescribeContainerInstances → DescribeInstances and their `gamefleet:fleet` tag; a fleet host
///   without a gameserver is reported as awaiting one (it may be a launch cut short by the restart;
///   if it was a host whose gameserver had ended, the extra server is parked and stopped by the
///   planner).
/// - never forgotten: every pass also asks EC2 for the fleet's instances by tag
///   (DescribeInstances filtered on `gamefleet:fleet` and state pending/running), so a host that
///   has not registered — booting, broken, or launched by a gamefleet that stopped before it
///   registered — is reported with ``HostCondition/unregistered`` and EC2's launch time, counted
///   as starting, and stopped (terminated) by the plan once it is older than `startupGrace`
///   (``ReasonCode/hostNeverRegistered``). A host just launched that EC2's listing does not show
///   yet is kept from this process's memory for ``listingLagAllowance``.
///
/// Cost: every pass in this mode adds ⌈M/100⌉ ListContainerInstances calls for M container
/// instances in the cluster and ⌈H/1000⌉ DescribeInstances for the fleet's H hosts, plus lookups
/// for new instances only.
extension ECSProvider {
    func observeHosts(spec: FleetSpec, ecsSpec: ECSSpec, tasks: [ECSTask], current: CurrentTaskDefinition) async -> [ObservedServer] {
        let cluster = ecsSpec.cluster
        let time = now()
        var registered: [String] = []
        do {
            var token: String?
            var tokens: Set<String> = []
            repeat {
                let page = try await ecs.listContainerInstances(cluster: cluster, nextToken: token)
                registered += page.arns
                token = page.nextToken
                if let token, !tokens.insert(token).inserted { throw ECSProviderError.repeatingPageToken(operation: "ListContainerInstances") }
            } while token != nil
        } catch {
            logger.warning("cannot list the container instances of \(cluster); hosts wait for their gameserver another pass: \(error)")
            return pendingHostServers(except: [], current: current)
        }
        // The fleet's instances by tag, registered or not: nothing the fleet started is forgotten.
        let tagged = await taggedHosts(fleet: spec.name, at: time)

        // Which registered instances are the fleet's: container instance → instance id → tags.
        let unknownContainers = registered.filter { instanceIDs[$0] == nil }
        for batch in unknownContainers.chunked(ECSClient.describeBatchSize) {
            do {
                for instance in try await ecs.describeContainerInstances(cluster: cluster, arns: batch).containerInstances {
                    if let arn = instance.containerInstanceArn, let id = instance.ec2InstanceId { instanceIDs[arn] = id }
                }
            } catch {
                logger.warning("cannot describe \(batch.count) container instance(s): \(error)")
            }
        }
        let unknownInstances = Set(registered.compactMap { instanceIDs[$0] })
            .filter { hosts.fleetInstances[$0] == nil && !hosts.foreign.contains($0) }
        for batch in unknownInstances.sorted().chunked(100) {
            do {
                for instance in try await ec2.describeInstances(ids: batch) {
                    let alive = !["shutting-down", "terminated", "stopping", "stopped"].contains(instance.state ?? "")
                    if instance.tag(FleetLabels.fleetTag) == spec.name, alive {
                        hosts.fleetInstances[instance.instanceID] = instance.launchTime ?? time
                    } else {
                        hosts.foreign.insert(instance.instanceID)
                    }
                }
            } catch {
                logger.warning("cannot describe \(batch.count) EC2 instance(s): \(error)")
            }
        }

        // Which fleet hosts have their gameserver.
        var taskOn: [String: String] = [:]
        for task in tasks {
            guard let container = task.containerInstanceArn, let id = instanceIDs[container], hosts.fleetInstances[id] != nil else { continue }
            taskOn[id] = task.taskArn
            hosts.instanceOfTask[task.taskArn] = id
            hosts.served.insert(id)
            hosts.pending[id] = nil
        }
        let live = Set(tasks.map(\.taskArn))
        hosts.instanceOfTask = hosts.instanceOfTask.filter { live.contains($0.key) }

        // Observing only reports what the hosts need; the plan repairs them (read-only observation).
        var servers: [ObservedServer] = []
        var registeredHosts: Set<String> = []
        for container in registered {
            guard let id = instanceIDs[container], let launched = hosts.fleetInstances[id] else { continue }
            registeredHosts.insert(id)
            guard taskOn[id] == nil else { continue }
            if hosts.served.contains(id) {
                servers.append(ObservedServer(
                    id: id, address: nil, taskDefinition: current.specName, lifecycle: .stopping, launchedAt: launched,
                    host: .gameserverEnded))
            } else {
                servers.append(ObservedServer(
                    id: id, address: nil, taskDefinition: current.specName, lifecycle: .pending, launchedAt: hosts.pending[id] ?? launched,
                    host: .awaitingGameserver))
            }
        }
        if let tagged {
            // EC2's word replaces memory, except for launches too recent for its listing.
            hosts.pending = hosts.pending.filter { tagged[$0.key] != nil || time.timeIntervalSince($0.value) < Self.listingLagAllowance }
            for (id, launched) in tagged where !registeredHosts.contains(id) && !hosts.served.contains(id) && hosts.pending[id] == nil {
                hosts.pending[id] = launched
            }
        }
        return servers + pendingHostServers(except: registeredHosts, current: current)
    }

    /// How long a host this process launched is kept as booting although EC2's tag-filtered
    /// listing does not show it yet (EC2 is eventually consistent, for seconds as a rule).
    static let listingLagAllowance: TimeInterval = 120

    /// The fleet's live instances by their `gamefleet:fleet` tag (instance id → EC2's launch time),
    /// learned as fleet hosts; nil when EC2 could not be asked (memory stands in for a pass).
    func taggedHosts(fleet: String, at time: Date) async -> [String: Date]? {
        do {
            let found = try await ec2.describeInstances(filters: [
                .tag(FleetLabels.fleetTag, fleet),
                EC2Filter(name: "instance-state-name", values: ["pending", "running"]),
            ])
            var tagged: [String: Date] = [:]
            for instance in found where instance.tag(FleetLabels.fleetTag) == fleet {
                let launched = instance.launchTime ?? hosts.fleetInstances[instance.instanceID] ?? time
                tagged[instance.instanceID] = launched
                if hosts.fleetInstances[instance.instanceID] == nil { hosts.fleetInstances[instance.instanceID] = launched }
                hosts.foreign.remove(instance.instanceID)
            }
            return tagged
        } catch {
            logger.warning("cannot list the fleet's EC2 instances by tag; hosts not registered yet are kept from memory this pass: \(error)")
            return nil
        }
    }

    /// Places a gameserver on each fleet host a plan names in a launch: RunTask with a
    /// `memberOf(ec2InstanceId == i-…)` placement constraint and a token derived from the host and
    /// the attempt, so a retry after a lost answer places nothing twice.
    func placeGameservers(_ actions: [Action], indices: [Int], spec: FleetSpec, ecsSpec: ECSSpec, current: CurrentTaskDefinition) async -> [(Int, ActionOutcome)] {
        let cluster = ecsSpec.cluster
        let time = now()
        let startedBy = FleetLabels.startedBy(fleet: spec.name)
        let tags = FleetLabels.launchTags(fleet: spec.name).map { ECSTag(key: $0.key, value: $0.value) }
        var outcomes: [(Int, ActionOutcome)] = []
        // A provider that did not make the observation (`gamefleet apply` observes with one and
        // applies with another) checks the hosts' fleet tag first: a plan never places a gameserver
        // on someone else's instance.
        let unknown = indices.compactMap { actions[$0].server }.filter { hosts.fleetInstances[$0] == nil && !hosts.foreign.contains($0) }
        for batch in Array(Set(unknown)).sorted().chunked(100) {
            do {
                for instance in try await ec2.describeInstances(ids: batch) {
                    let alive = !["shutting-down", "terminated", "stopping", "stopped"].contains(instance.state ?? "")
                    if instance.tag(FleetLabels.fleetTag) == spec.name, alive {
                        hosts.fleetInstances[instance.instanceID] = instance.launchTime ?? time
                    } else {
                        hosts.foreign.insert(instance.instanceID)
                    }
                }
            } catch {
                logger.warning("cannot describe \(batch.count) host(s) to place gameservers on: \(error)")
            }
        }
        for index in indices {
            let action = actions[index]
            guard let id = action.server, hosts.fleetInstances[id] != nil else {
                outcomes.append((index, ActionOutcome(action: action, error: "launch on \(action.server ?? "?"): not a host of fleet \(spec.name) known to this provider")))
                continue
            }
            let attempt = hosts.placementAttempts[id, default: 0]
            let request = ECSRunTaskRequest(
                cluster: cluster, taskDefinition: current.launchName, count: 1, startedBy: startedBy, tags: tags,
                clientToken: ClientToken.derive([spec.name, cluster, id, "place", String(attempt)]),
                launchType: ECSLaunchType.ec2.rawValue,
                placementConstraints: [.init(type: "memberOf", expression: "ec2InstanceId == \(id)")])
            let tally = PacingTally()
            do {
                let answer = try await PacingTally.$current.withValue(tally) { try await ecs.runTask(request) }
                if let task = answer.tasks.first {
                    hosts.instanceOfTask[task.taskArn] = id
                    hosts.served.insert(id)
                    hosts.pending[id] = nil
                    firstSeen[task.taskArn] = time
                    logger.info("placed gameserver \(task.taskArn) on its host \(id)")
                    outcomes.append((index, Self.noting(tally.paced, on: ActionOutcome(action: action, launched: task.taskArn))))
                } else {
                    hosts.placementAttempts[id] = attempt + 1
                    outcomes.append((index, ActionOutcome(action: action, error: "host \(id): " + Self.missingLaunches(started: 0, asked: 1, failures: answer.failures, operation: "RunTask"),
                        failureCode: Self.failureCode(missing: 0, failures: answer.failures))))
                }
            } catch {
                outcomes.append((index, ActionOutcome(action: action, error: "host \(id): " + Self.describe(error, operation: "RunTask", service: "ecs"))))
            }
        }
        return outcomes
    }

    /// The hosts not registered yet (booting, or never going to), as pending servers with
    /// ``HostCondition/unregistered``.
    func pendingHostServers(except registered: Set<String>, current: CurrentTaskDefinition) -> [ObservedServer] {
        hosts.pending.keys.sorted().filter { !registered.contains($0) }.map { id in
            ObservedServer(id: id, address: nil, taskDefinition: current.specName, lifecycle: .pending, launchedAt: hosts.pending[id]!, host: .unregistered)
        }
    }

    /// RunInstances for `count` hosts from the launch template `template` (`name`, `lt-…` id,
    /// either with an optional `:version`), tagged with the fleet. All or nothing (MinCount =
    /// MaxCount): a batch EC2 cannot fill fails as a whole and is planned again, so the outcome of
    /// every launch is known.
    func hostRequest(template: String, fleet: String, count: Int, token: String) -> EC2RunInstancesRequest {
        let reference = LaunchTemplateReference(parsing: template)
        let launchTemplate: EC2RunInstancesRequest.LaunchTemplate = reference.isID
            ? .id(reference.template, version: reference.version) : .named(reference.template, version: reference.version)
        let tags = FleetLabels.launchTags(fleet: fleet).map { EC2Tag(key: $0.key, value: $0.value) }
        return EC2RunInstancesRequest(
            launchTemplate: launchTemplate, minCount: count, maxCount: count,
            tagSpecifications: [.init(resourceType: "instance", tags: tags)], clientToken: token)
    }
}
