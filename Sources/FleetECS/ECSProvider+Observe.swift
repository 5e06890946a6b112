import AWSClient
import FleetCore
import Foundation

extension ECSProvider {
    /// The fleet's servers; see the type's documentation for the rules.
    func observe(spec: FleetSpec, ecsSpec: ECSSpec) async throws -> [ObservedServer] {
        let cluster = ecsSpec.cluster
        let startedBy = FleetLabels.startedBy(fleet: spec.name)

        // Listing: every page, then every task described. Either failing fails the pass.
        let previouslyLive = lastListed
        let arns = try await listTaskArns(cluster: cluster, startedBy: startedBy)
        let listedArns = Set(arns)
        // Tasks that left the listing are described too until ECS says why they stopped.
        let watched = stoppedTasks.toDescribe(vanished: previouslyLive.subtracting(listedArns), listed: listedArns, at: now())
        let ecs = self.ecs
        let everything = try await describe(arns + watched, cluster: cluster, ecs: ecs)
        stoppedTasks.fold(described: everything, asked: watched, previouslyLive: previouslyLive)
        let described = watched.isEmpty ? everything : everything.filter { listedArns.contains($0.taskArn) }

        let time = now()
        var live: [(task: ECSTask, lifecycle: Lifecycle)] = []
        for task in described {
            // ECS already filtered on startedBy; checking again costs nothing and guarantees that a
            // task of someone else is never reported, whatever an emulator does.
            guard task.startedBy == startedBy, let lifecycle = TaskLifecycle.of(lastStatus: task.lastStatus, desiredStatus: task.desiredStatus) else { continue }
            live.append((task, lifecycle))
        }

        let current = await currentTaskDefinition(ecsSpec, seen: live.map { $0.task })
        await lookUpAddresses(for: live.filter { $0.lifecycle != .stopping }.map { $0.task }, spec: ecsSpec)

        var servers: [ObservedServer] = []
        servers.reserveCapacity(live.count)
        for (task, lifecycle) in live {
            let arn = task.taskArn
            if firstSeen[arn] == nil { firstSeen[arn] = time }
            servers.append(
                ObservedServer(
                    id: arn,
                    address: addresses[arn],
                    taskDefinition: current.reported(for: task.taskDefinitionArn),
                    lifecycle: lifecycle,
                    standby: task.tag(FleetLabels.standbyTag)?.lowercased() == "true",
                    launchedAt: Self.launchTime(host: hosts.launchTime(ofTask: arn), task: task.createdAt ?? task.startedAt ?? firstSeen[arn] ?? time),
                    firstSeenAt: firstSeen[arn],
                    addressLookupError: addresses[arn] == nil ? addressLookupErrors[arn] : nil))
        }

        // Forget what belongs to tasks that are gone, so memory follows the fleet's size.
        let liveArns = Set(live.map { $0.task.taskArn })
        addresses = addresses.filter { liveArns.contains($0.key) }
        let expected = Set(expectations.confirmedServers)
        firstSeen = firstSeen.filter { liveArns.contains($0.key) || expected.contains($0.key) }
        await settleExpectations(listed: described, spec: spec, ecsSpec: ecsSpec, at: time)

        if ecsSpec.launchTemplate != nil, ecsSpec.launchType == .ec2 {
            servers += await observeHosts(spec: spec, ecsSpec: ecsSpec, tasks: live.map { $0.task }, current: current)
        }
        return servers
    }

    /// A task's launch time: its own, or its host's when it runs on a fleet host (the host's boot
    /// is part of its start), but never earlier than the task itself: a gameserver placed on a
    /// host that has run for hours is new, not found running.
    static func launchTime(host: Date?, task: Date) -> Date {
        guard let host else { return task }
        return max(host, task)
    }

    /// Every ARN ListTasks gives for `startedBy`, following the pages, without repeats.
    func listTaskArns(cluster: String, startedBy: String) async throws -> [String] {
        var arns: [String] = []
        var seen: Set<String> = []
        var tokens: Set<String> = []
        var token: String?
        repeat {
            let page = try await ecs.listTasks(cluster: cluster, startedBy: startedBy, nextToken: token)
            for arn in page.arns where seen.insert(arn).inserted { arns.append(arn) }
            token = page.nextToken
            if let token, !tokens.insert(token).inserted { throw ECSProviderError.repeatingPageToken(operation: "ListTasks") }
        } while token != nil
        return arns
    }

    /// DescribeTasks for `arns` in batches of 100, side by side. Tasks ECS reports as missing
    /// (stopped and forgotten between the two calls) are left out.
    func describe(_ arns: [String], cluster: String, ecs: any ECSAPI) async throws -> [ECSTask] {
        let batches = arns.chunked(ECSClient.describeBatchSize)
        let results = await concurrently(batches, limit: settings.concurrency) { batch in
            do { return Result<ECSTasksResult, any Error>.success(try await ecs.describeTasks(cluster: cluster, arns: batch)) }
            catch { return .failure(error) }
        }
        var tasks: [ECSTask] = []
        tasks.reserveCapacity(arns.count)
        for result in results {
            tasks += try result.get().tasks
        }
        return tasks
    }
}
