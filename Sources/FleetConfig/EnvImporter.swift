import Foundation

/// Turns the old Django manager's `.env` into an equivalent fleet.yaml, for users moving off it.
///
/// Read: UPSCALE_MARGIN, DOWNSCALE_MARGIN, GAMESERVER_CAPACITY, SLEEP_TIME (seconds), BACKUP_GAMESERVER,
/// AWS_REGION, ECS_INSTANCE_LAUNCH_TEMPLATE, GAMESERVER_TASK_DEFINITION. The Django-only variables
/// (SECRET_KEY, DEBUG) are noted and dropped. The result uses the ecs provider, as the old app did.
public enum EnvImporter {
    public struct Result: Sendable {
        /// The fleet.yaml text.
        public var yaml: String
        /// Notes for the user (unknown or dropped variables, values that needed a default), for stderr.
        public var notes: [String]
    }

    public enum Failure: Error, CustomStringConvertible {
        case badLine(file: String, line: Int, text: String)
        case badValue(file: String, line: Int, name: String, value: String, expected: String)

        public var description: String {
            switch self {
            case .badLine(let file, let line, let text):
                return "\(file):\(line): expected NAME=value, got '\(text)'"
            case .badValue(let file, let line, let name, let value, let expected):
                return "\(file):\(line): \(name): expected \(expected), got '\(value)'"
            }
        }
    }

    /// Parses `.env` text: `NAME=value` lines, `#` comments, optional `export `, optional quotes.
    /// A later line wins over an earlier one with the same name (the old example sets AWS_REGION twice).
    public static func parseEnv(_ text: String, file: String) throws(Failure) -> [String: (value: String, line: Int)] {
        var out: [String: (String, Int)] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingCharacters(in: " ")
            line = line.trimmingCharacters(in: "\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
            guard let eq = line.firstIndex(of: "="), eq != line.startIndex else {
                throw .badLine(file: file, line: index + 1, text: String(rawLine))
            }
            let name = line[..<eq].trimmingCharacters(in: " ")
            var value = line[line.index(after: eq)...].trimmingCharacters(in: " ")
            if value.count >= 2, let f = value.first, f == "\"" || f == "'", value.last == f {
                value = String(value.dropFirst().dropLast())
            }
            out[name] = (value, index + 1)
        }
        return out
    }

    public static func convert(_ text: String, file: String = ".env") throws(Failure) -> Result {
        let env = try parseEnv(text, file: file)
        var notes: [String] = []
        let known: Set<String> = ["UPSCALE_MARGIN", "DOWNSCALE_MARGIN", "GAMESERVER_CAPACITY", "SLEEP_TIME", "BACKUP_GAMESERVER",
                                  "AWS_REGION", "ECS_INSTANCE_LAUNCH_TEMPLATE", "GAMESERVER_TASK_DEFINITION"]
        for name in env.keys.sorted() where !known.contains(name) {
            if name == "SECRET_KEY" || name == "DEBUG" {
                notes.append("\(name) is a Django setting; gamefleet has no use for it and dropped it")
            } else {
                notes.append("\(name) is not one of the old manager's settings; ignored")
            }
        }

        func int(_ name: String, default fallback: Int) throws(Failure) -> Int {
            guard let entry = env[name] else {
                notes.append("\(name) not set; using \(fallback)")
                return fallback
            }
            guard let n = Int(entry.value), n >= 0 else {
                throw .badValue(file: file, line: entry.line, name: name, value: entry.value, expected: "a whole number")
            }
            return n
        }
        func string(_ name: String, default fallback: String?) -> String? {
            guard let entry = env[name], !entry.value.isEmpty else {
                if let fallback { notes.append("\(name) not set; using \(fallback)") }
                return fallback
            }
            return entry.value
        }

        let upscale = try int("UPSCALE_MARGIN", default: 4)
        let downscale = try int("DOWNSCALE_MARGIN", default: 18)
        let capacity = try int("GAMESERVER_CAPACITY", default: 10)
        let sleep = try int("SLEEP_TIME", default: 10)
        var region = string("AWS_REGION", default: "ap-south-1")!
        if region.contains("_") {
            notes.append("AWS_REGION '\(region)' uses underscores; region names use hyphens, so it became '\(region.replacingOccurrences(of: "_", with: "-"))'")
            region = region.replacingOccurrences(of: "_", with: "-")
        }
        let taskDefinition = string("GAMESERVER_TASK_DEFINITION", default: "LaunchGameserver")!
        let launchTemplate = string("ECS_INSTANCE_LAUNCH_TEMPLATE", default: nil)
        let backup = string("BACKUP_GAMESERVER", default: nil)
        if downscale - upscale <= capacity {
            notes.append("DOWNSCALE_MARGIN - UPSCALE_MARGIN (\(downscale - upscale)) is not more than GAMESERVER_CAPACITY (\(capacity)); `gamefleet validate` will refuse this until downscaleMargin is at least \(upscale + capacity + 1)")
        }

        var yaml = """
        # Converted by `gamefleet import-env` from the old manager's \(file).
        name: gameservers
        provider: ecs
        gameserver:
          capacity: \(capacity)               # GAMESERVER_CAPACITY
          health:
            path: /health/
            interval: \(sleep)s             # SLEEP_TIME
            timeout: \(sleep >= 4 ? "2s" : "\(max(sleep, 1) * 500)ms")
        scaling:
          upscaleMargin: \(upscale)            # UPSCALE_MARGIN
          downscaleMargin: \(downscale)         # DOWNSCALE_MARGIN
          minServers: 1
          maxServers: 50
        allocation:
          strategy: packed

        """
        if let backup { yaml += "  backup: \(backup)     # BACKUP_GAMESERVER\n" }
        yaml += """
        listen: 127.0.0.1:8000
        ecs:
          region: \(region)          # AWS_REGION
          cluster: default              # the old app always used the default cluster
          taskDefinition: \(taskDefinition)   # GAMESERVER_TASK_DEFINITION
          gamePort: 8888                # not in the old .env: set it to the container's game port
          launchType: EC2

        """
        if let launchTemplate { yaml += "  launchTemplate: \(launchTemplate)  # ECS_INSTANCE_LAUNCH_TEMPLATE\n" }
        notes.append("ecs.gamePort was not in the old .env; it is set to 8888: check it against the task definition")
        return Result(yaml: yaml, notes: notes)
    }
}
