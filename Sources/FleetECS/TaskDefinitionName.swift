/// A task definition as a name: `family` or `family:revision`, read from what fleet.yaml says or
/// from a task's `taskDefinitionArn` (`arn:aws:ecs:REGION:ACCOUNT:task-definition/family:rev`).
public struct TaskDefinitionName: Sendable, Hashable, CustomStringConvertible {
    /// The family, e.g. `gameserver`.
    public var family: String
    /// The revision, or nil when only the family was named (meaning its latest ACTIVE revision).
    public var revision: Int?

    /// Creates a name.
    public init(family: String, revision: Int? = nil) {
        self.family = family
        self.revision = revision
    }

    /// Reads `family`, `family:revision`, or a task definition ARN (everything up to
    /// `task-definition/` is dropped). A revision that is not a whole number is kept as part of
    /// the family, so a name is never silently changed into another.
    public init(parsing text: String) {
        var name = Substring(text)
        if let range = name.range(of: "task-definition/") {
            name = name[range.upperBound...]
        }
        if let colon = name.lastIndex(of: ":"), let revision = Int(name[name.index(after: colon)...]) {
            self.init(family: String(name[..<colon]), revision: revision)
        } else {
            self.init(family: String(name), revision: nil)
        }
    }

    /// `family:revision`, or `family` without a revision.
    public var description: String {
        revision.map { "\(family):\($0)" } ?? family
    }
}
