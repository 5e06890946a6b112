import AWSClient
import FleetCore
import Foundation

extension ECSProvider {
    /// Finds the addresses of `tasks` that have none yet, with as few calls as it can: a task
    /// definition once per ARN, network interfaces and hosts in batches, host IPs once per
    /// container instance. Whatever fails is logged and tried again next pass; the tasks
    /// concerned have no address until then, and ``addressLookupErrors`` says why, so the
    /// planner treats them as unknown rather than silent.
    func lookUpAddresses(for tasks: [ECSTask], spec: ECSSpec) async {
        addressLookupErrors = [:]
        let todo = tasks.filter { addresses[$0.taskArn] == nil }
        guard !todo.isEmpty else { return }
        var failedDefinitions: [String: String] = [:]
        var failedInterfaces: [String: String] = [:]

        func locate(_ task: ECSTask) -> TaskAddress.Source {
            TaskAddress.locate(
                task: task, definition: task.taskDefinitionArn.flatMap { definitions[$0] },
                gamePort: spec.gamePort, addressType: spec.addressType)
        }
        var sources = Dictionary(todo.map { ($0.taskArn, locate($0)) }, uniquingKeysWith: { first, _ in first })

        let neededDefinitions = Set(todo.compactMap { sources[$0.taskArn] == .needsTaskDefinition ? $0.taskDefinitionArn : nil })
        if !neededDefinitions.isEmpty {
            let ecs = self.ecs
            let fetched = await concurrently(neededDefinitions.sorted(), limit: settings.concurrency) { arn in
                do { return (arn, Result<ECSTaskDefinition, any Error>.success(try await ecs.describeTaskDefinition(arn))) }
                catch { return (arn, .failure(error)) }
            }
            for (arn, result) in fetched {
                switch result {
                case .success(let definition): definitions[arn] = definition
                case .failure(let error):
                    failedDefinitions[arn] = "DescribeTaskDefinition failed: \(error)"
                    logger.warning("cannot look up task definition \(arn); its tasks have no address this pass: \(error)")
                }
            }
            for task in todo where sources[task.taskArn] == .needsTaskDefinition {
                sources[task.taskArn] = locate(task)
            }
        }

        var publicIPs: [String: String] = [:]
        let interfaces = Set(sources.values.compactMap { source -> String? in
            if case .networkInterface(let id, _) = source { return id }
            return nil
        })
        for batch in interfaces.sorted().chunked(100) {
            do {
                for interface in try await ec2.describeNetworkInterfaces(ids: batch) {
                    if let ip = interface.publicIPAddress, !ip.isEmpty { publicIPs[interface.networkInterfaceID] = ip }
                }
            } catch {
                for id in batch { failedInterfaces[id] = "DescribeNetworkInterfaces failed: \(error)" }
                logger.warning("cannot look up \(batch.count) network interface(s); their tasks have no address this pass: \(error)")
            }
        }

        let newHosts = Set(sources.values.compactMap { source -> String? in
            if case .host(let containerInstance, _) = source, hostAddresses[containerInstance] == nil { return containerInstance }
            return nil
        })
        var failedHosts: [String: String] = [:]
        if !newHosts.isEmpty {
            failedHosts = await lookUpHosts(newHosts.sorted(), cluster: spec.cluster)
        }

        for task in todo {
            let arn = task.taskArn
            switch sources[arn] {
            case .known(let address):
                addresses[arn] = address
            case .networkInterface(let id, let port):
                if let ip = publicIPs[id] {
                    addresses[arn] = HostPort(host: ip, port: port)
                } else if let why = failedInterfaces[id] {
                    addressLookupErrors[arn] = why
                } else {
                    logger.debug("task \(arn): network interface \(id) has no public IP (yet)")
                }
            case .host(let containerInstance, let port):
                if let ip = hostAddresses[containerInstance]?.ip(spec.addressType) {
                    addresses[arn] = HostPort(host: ip, port: port)
                } else if hostAddresses[containerInstance] != nil {
                    logger.warning("task \(arn): its instance has no \(spec.addressType.rawValue) IP; set ecs.addressType to the kind it has")
                } else if let why = failedHosts[containerInstance] {
                    addressLookupErrors[arn] = why
                }
            case .unknown(let why):
                logger.debug("task \(arn) has no address yet: \(why)")
            case .needsTaskDefinition:
                if let definition = task.taskDefinitionArn, let why = failedDefinitions[definition] { addressLookupErrors[arn] = why }
            case nil:
                break
            }
        }
    }

    /// Learns the IPs of the EC2 instances behind `containerInstances`: DescribeContainerInstances
    /// for the ones whose instance id is not known, then DescribeInstances, both in batches of 100.
    /// Returns why, for each container instance whose lookup failed.
    @discardableResult
    func lookUpHosts(_ containerInstances: [String], cluster: String) async -> [String: String] {
        var failed: [String: String] = [:]
        let unknown = containerInstances.filter { instanceIDs[$0] == nil }
        for batch in unknown.chunked(ECSClient.describeBatchSize) {
            do {
                let result = try await ecs.describeContainerInstances(cluster: cluster, arns: batch)
                for instance in result.containerInstances {
                    if let arn = instance.containerInstanceArn, let id = instance.ec2InstanceId { instanceIDs[arn] = id }
                }
            } catch {
                for arn in batch { failed[arn] = "DescribeContainerInstances failed: \(error)" }
                logger.warning("cannot look up \(batch.count) container instance(s); their tasks have no address this pass: \(error)")
            }
        }
        let wanted = containerInstances.compactMap { arn in instanceIDs[arn].map { (arn, $0) } }
        var byInstance: [String: HostAddresses] = [:]
        for batch in Array(Set(wanted.map(\.1))).sorted().chunked(100) {
            do {
                for instance in try await ec2.describeInstances(ids: batch) {
                    byInstance[instance.instanceID] = HostAddresses(privateIP: instance.privateIPAddress, publicIP: instance.publicIPAddress)
                }
            } catch {
                for (containerInstance, instance) in wanted where batch.contains(instance) {
                    failed[containerInstance] = "DescribeInstances failed: \(error)"
                }
                logger.warning("cannot look up \(batch.count) EC2 instance(s); their tasks have no address this pass: \(error)")
            }
        }
        for (containerInstance, instance) in wanted {
            if let found = byInstance[instance] { hostAddresses[containerInstance] = found }
        }
        return failed
    }
}
