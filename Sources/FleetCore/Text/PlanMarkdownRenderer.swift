import Foundation

/// Renders a plan for a pull-request comment (GitHub-flavoured Markdown): the config change key by
/// key (the proposed fleet.yaml against the one the live fleet runs), then the plan as
/// ``PlanTextRenderer`` prints it, in a code block. Pure: the caller fetches and compares.
public enum PlanMarkdownRenderer {
    /// What the plan was made from, for the comment's first lines.
    public struct Context: Sendable {
        /// The fleet's name.
        public var fleet: String
        /// The proposed config, as `-c` named it (e.g. `fleet.yaml`), and the hash of its bytes.
        public var proposed: String
        public var proposedHash: String
        /// The running config as the live serve reports it: its source (`ssm:/gamefleet/chess/fleet.yaml`),
        /// version and hash; nil when the plan was made without a live serve (`--observed FILE`).
        public var running: RunningConfig?
        /// The key-by-key change from the running config to the proposed one (empty: none); nil
        /// when there is no running config to compare with.
        public var changes: [ConfigChange]?
        /// Why the running replicas would refuse the proposal (restart-only keys), one line each.
        public var refusals: [String]
        /// Where the observed state came from (a URL or a file) and when it was observed.
        public var observedFrom: String
        public var observedAt: Date?
        /// The time the plan judged the observation at.
        public var judgedAt: Date

        public init(fleet: String, proposed: String, proposedHash: String, running: RunningConfig?, changes: [ConfigChange]?,
                    refusals: [String] = [], observedFrom: String, observedAt: Date?, judgedAt: Date) {
            self.fleet = fleet
            self.proposed = proposed
            self.proposedHash = proposedHash
            self.running = running
            self.changes = changes
            self.refusals = refusals
            self.observedFrom = observedFrom
            self.observedAt = observedAt
            self.judgedAt = judgedAt
        }
    }

    /// The running config's identity, as `GET /v1/config` answers it.
    public struct RunningConfig: Sendable, Equatable {
        public var path: String
        public var version: String?
        public var hash: String

        public init(path: String, version: String?, hash: String) {
            self.path = path
            self.version = version
            self.hash = hash
        }
    }

    /// The whole comment, ending in a newline.
    public static func render(_ plan: Plan, context c: Context) -> String {
        var out = "### gamefleet plan: fleet `\(c.fleet)`\n\n"
        let running = c.running.map { r in "the running \(code(r.path))" + (r.version.map { " version \($0)" } ?? "") + " (config \(r.hash))" }
        out += "Proposed \(code(c.proposed)) (config \(c.proposedHash))" + (running.map { " against \($0)" } ?? "")
        out += ", planned on the fleet observed at \(c.observedAt.map(time) ?? "an unknown time") (\(code(c.observedFrom)))"
        out += c.observedAt == c.judgedAt ? ".\n\n" : ", judged at \(time(c.judgedAt)).\n\n"

        if let changes = c.changes {
            if changes.isEmpty {
                out += "**Config:** no key changes: the proposed file says what the running one says.\n\n"
            } else {
                out += "**Config:** \(changes.count) key\(changes.count == 1 ? "" : "s") change.\n\n"
                out += "| Key | Running | Proposed |\n|---|---|---|\n"
                for change in changes {
                    out += "| \(code(change.key)) | \(cell(change.running)) | \(cell(change.proposed)) |\n"
                }
                out += "\n"
            }
        } else {
            out += "**Config:** not compared (no running config: plan with `--observed-from` the live fleet's admin face).\n\n"
        }
        if !c.refusals.isEmpty {
            out += "> [!WARNING]\n> The running replicas will refuse this version (a restart applies it):\n"
            for refusal in c.refusals { out += "> - \(escape(refusal))\n" }
            out += "\n"
        }
        let counts = "\(plan.count(.launch)) to launch, \(plan.count(.activate)) to activate, \(plan.count(.standby)) to standby, \(plan.count(.stop)) to stop"
        out += "**Plan:** " + (plan.isEmpty ? "no changes." : counts + ".") + "\n\n"
        out += "```\n" + PlanTextRenderer.render(plan, fleet: c.fleet) + "```\n"
        return out
    }

    /// A table cell: the value as inline code, or *not set*.
    static func cell(_ value: String?) -> String {
        guard let value else { return "*not set*" }
        return code(value)
    }

    /// Inline code that survives backticks and pipes in the value (a table cell ends at a bare `|`).
    static func code(_ text: String) -> String {
        let piped = text.replacingOccurrences(of: "|", with: "\\|")
        if piped.contains("`") { return "`` " + piped + " ``" }
        return "`" + piped + "`"
    }

    /// Text outside code: characters Markdown would take as markup are escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\`*_[]<>|".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    static func time(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
