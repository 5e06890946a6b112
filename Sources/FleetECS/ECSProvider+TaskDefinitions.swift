import AWSClient
import FleetCore
import Foundation

extension ECSProvider {
    /// The spec's task definition for this pass. A family named without a revision is resolved
    /// to its latest ACTIVE revision with DescribeTaskDefinition when the last lookup is older
    /// than ``Settings/taskDefinitionRefresh``, or when one of `seen` runs a newer revision than
    /// the one known (someone registered a new revision). A failed lookup keeps the last answer.
    func currentTaskDefinition(_ spec: ECSSpec, seen: [ECSTask]) async -> CurrentTaskDefinition {
        let name = TaskDefinitionName(parsing: spec.taskDefinition)
        guard name.revision == nil else { return CurrentTaskDefinition(specName: spec.taskDefinition) }
        let time = now()
        let known = latestRevisions[name.family]
        let stale = known.map { time.timeIntervalSince($0.at) >= Double(settings.taskDefinitionRefresh.components.seconds) } ?? true
        let newer = known.map { known in
            seen.contains { task in
                let running = TaskDefinitionName(parsing: task.taskDefinitionArn ?? "")
                return running.family == name.family && (running.revision ?? 0) > known.revision
            }
        } ?? false
        if stale || newer {
            do {
                let definition = try await ecs.describeTaskDefinition(name.family)
                if let revision = definition.revision {
                    latestRevisions[name.family] = (revision, time)
                    definitions[definition.taskDefinitionArn ?? "\(name.family):\(revision)"] = definition
                }
            } catch {
                logger.warning("cannot look up the latest revision of task definition family \(name.family); keeping \(known.map { "revision \($0.revision)" } ?? "every revision as current"): \(error)")
            }
        }
        return CurrentTaskDefinition(specName: spec.taskDefinition, latestRevision: latestRevisions[name.family]?.revision)
    }
}
