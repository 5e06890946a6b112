/// The spec's task definition as one pass understands it: the name fleet.yaml gives and the
/// revision that counts as current.
///
/// The planner compares ``FleetCore/ObservedServer/taskDefinition`` with
/// ``FleetCore/FleetSpec/taskDefinition`` as plain strings, so a current task reports the spec's
/// own string (`gameserver` or `gameserver:7`) and any other reports its `family:revision`.
public struct CurrentTaskDefinition: Sendable, Equatable {
    /// What the spec says, verbatim.
    public var specName: String
    /// The spec's name, parsed.
    public var name: TaskDefinitionName
    /// The revision that is current: the spec's own, or the family's latest ACTIVE revision.
    /// Nil when the spec names only a family and its latest revision could not be looked up yet;
    /// then every revision of the family counts as current, so a failed lookup never makes the
    /// planner replace the whole fleet.
    public var revision: Int?

    /// The spec's `specName`, with the family's latest ACTIVE revision when it was looked up.
    public init(specName: String, latestRevision: Int? = nil) {
        self.specName = specName
        self.name = TaskDefinitionName(parsing: specName)
        self.revision = name.revision ?? latestRevision
    }

    /// Whether a task running `taskDefinitionArn` runs the current definition.
    public func isCurrent(_ taskDefinitionArn: String?) -> Bool {
        guard let taskDefinitionArn else { return false }
        let running = TaskDefinitionName(parsing: taskDefinitionArn)
        guard running.family == name.family else { return false }
        return revision == nil || running.revision == revision
    }

    /// What a task running `taskDefinitionArn` reports: ``specName`` when current, else its
    /// `family:revision` (or `unknown` when ECS gave none).
    public func reported(for taskDefinitionArn: String?) -> String {
        if isCurrent(taskDefinitionArn) { return specName }
        return taskDefinitionArn.map { TaskDefinitionName(parsing: $0).description } ?? "unknown"
    }

    /// What RunTask is given: the current `family:revision` when known, so that what is launched
    /// is what counts as current; the spec's string otherwise.
    public var launchName: String {
        if name.revision != nil { return specName }
        return revision.map { "\(name.family):\($0)" } ?? specName
    }
}
