import AWSClient
import FleetCore
import Foundation
import Logging

/// Answers ``PreflightQuestions`` by asking AWS, read-only, with the credential chain, endpoint
/// rules and retries every other gamefleet call uses. Each lookup is caught on its own, so one
/// refused call (AccessDenied on a single action) still leaves the others answered.
public enum PreflightProbe {
    /// Asks AWS what ``Preflight/questions(for:)`` lists for `spec`. The actions it may call are
    /// ``AWSPermissions/preflight``, all read-only.
    public static func gather(
        spec: FleetSpec, configSource: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "gamefleet.check")
    ) async -> PreflightFacts {
        var facts = PreflightFacts(configSource: configSource)
        let questions = Preflight.questions(for: spec)
        guard questions.needsAWS else { return facts }

        let region = spec.ecs?.region ?? "us-east-1"
        let transport = AsyncHTTPClientTransport()
        await ask(spec: spec, questions: questions, region: region, transport: transport, environment: environment, logger: logger, into: &facts)
        try? await transport.shutdown()
        return facts
    }

    static func ask(
        spec: FleetSpec, questions: PreflightQuestions, region: String, transport: AsyncHTTPClientTransport,
        environment: [String: String], logger: Logger, into facts: inout PreflightFacts
    ) async {
        let credentials = CachedCredentialProvider.standard(environment: environment, transport: transport, logger: logger)
        do {
            let found = try await credentials.credentials()
            facts.credentials = .found("access key \(found.accessKeyID.prefix(4))…\(found.accessKeyID.suffix(4))\(found.sessionToken == nil ? "" : " (temporary)")")
        } catch {
            facts.credentials = .unreadable("\(error)")
            let why = "no AWS credentials"
            if questions.cluster != nil { facts.cluster = .notChecked(why) }
            if questions.taskDefinition != nil { facts.taskDefinition = .notChecked(why) }
            if !questions.subnets.isEmpty { facts.subnets = .notChecked(why) }
            if !questions.securityGroups.isEmpty { facts.securityGroups = .notChecked(why) }
            if questions.launchTemplate != nil { facts.launchTemplate = .notChecked(why) }
            if questions.leaseTable != nil { facts.leaseTable = .notChecked(why) }
            return
        }

        let configuration = AWSClientConfiguration(
            region: region, credentials: credentials, transport: transport, environment: environment,
            retryPolicy: .standard, timeout: .seconds(10), logger: logger)
        if let ecsSpec = spec.ecs, spec.provider == .ecs {
            do {
                let ecs = try ECSClient(configuration: configuration, endpoint: ecsSpec.endpoint)
                let ec2 = try EC2Client(configuration: configuration, endpoint: ecsSpec.endpoint)
                await ask(ecs: ecs, ec2: ec2, questions: questions, into: &facts)
            } catch {
                let why = "the ECS or EC2 endpoint is unusable: \(error)"
                facts.cluster = .unreadable(why)
                facts.taskDefinition = .unreadable(why)
            }
        }
        if let ha = spec.ha {
            do {
                let lease = try DynamoDBLeaseStore.live(spec: spec, ha: ha, environment: environment, logger: logger)
                do {
                    facts.leaseTable = .found(try await lease.store.tableProblem())
                } catch {
                    facts.leaseTable = .unreadable("\(error)")
                }
                await lease.close()
            } catch {
                facts.leaseTable = .unreadable("\(error)")
            }
        }
    }

    static func ask(ecs: ECSClient, ec2: EC2Client, questions: PreflightQuestions, into facts: inout PreflightFacts) async {
        if let cluster = questions.cluster {
            facts.cluster = await lookup {
                guard let found = try await ecs.describeClusters([cluster]).clusters.first else { return nil }
                return PreflightFacts.Cluster(status: found.status ?? "?", capacityProviders: found.capacityProviders ?? [])
            }
        }
        if let name = questions.taskDefinition {
            facts.taskDefinition = await lookup {
                let definition: ECSTaskDefinition
                do {
                    definition = try await ecs.describeTaskDefinition(name)
                } catch let error as AWSServiceError where error.code == "ClientException" {
                    // ECS's answer for a family or revision it does not know.
                    return nil
                }
                let ports = definition.containerDefinitions.flatMap { $0.portMappings ?? [] }.map(\.containerPort)
                return PreflightFacts.TaskDefinition(
                    name: "\(definition.family):\(definition.revision.map(String.init) ?? "?")",
                    networkMode: definition.networkMode ?? "bridge", containerPorts: ports)
            }
        }
        if !questions.subnets.isEmpty {
            facts.subnets = await lookup { try await ec2.existing(.subnet, ids: questions.subnets) }
        }
        if !questions.securityGroups.isEmpty {
            facts.securityGroups = await lookup { try await ec2.existing(.securityGroup, ids: questions.securityGroups) }
        }
        if let reference = questions.launchTemplate {
            facts.launchTemplate = await lookup {
                try await ec2.describeLaunchTemplate(idOrName: reference.template).map {
                    PreflightFacts.LaunchTemplate(name: $0.name ?? $0.id, latestVersion: $0.latestVersion)
                }
            }
        }
    }

    /// `found` for a value, `missing` for nil, `unreadable` with AWS's words for an error.
    static func lookup<Value: Sendable & Equatable>(_ ask: () async throws -> Value?) async -> PreflightLookup<Value> {
        do {
            guard let value = try await ask() else { return .missing }
            return .found(value)
        } catch {
            return .unreadable("\(error)")
        }
    }
}
