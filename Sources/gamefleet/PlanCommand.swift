import ArgumentParser
import FleetCore
import Timestamps
import Foundation
import Logging

/// `gamefleet plan`: what a reconcile pass would do, changing nothing.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what one reconcile pass would do, without doing it.",
        discussion: """
        Reads the observed state from --observed FILE (the JSON written by `gamefleet observe`, format in \
        the README) or asks the configured provider. With --detailed-exitcode: 0 no changes, 2 changes, 1 error.
        """)

    enum Output: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var options: ConfigOptions

    @Option(help: "Observed state as JSON, instead of asking the provider.")
    var observed: String?

    @Option(help: "Output format: text or json.")
    var output: Output = .text

    @Flag(help: "Exit 0 when there are no changes, 2 when there are, 1 on error.")
    var detailedExitcode = false

    @Option(help: "Judge the observation as of this time (ISO 8601, e.g. 2026-11-26T10:00:00Z) instead of now; makes offline plans reproducible.")
    var now: String?

    func run() async throws {
        let spec = try await options.loadSpec()
        let state = try await observedState(spec)
        let at: Date
        if let now {
            guard let parsed = RFC3339Time.date(from: now) else {
                Stderr.write("--now: expected an ISO 8601 time such as 2026-11-26T10:00:00Z, got '\(now)'\n")
                throw ExitCode.failure
            }
            at = parsed
        } else {
            at = Date()
        }
        let plan = Planner.plan(spec: spec, observed: state, now: at)
        switch output {
        case .text:
            Stdout.write(PlanTextRenderer.render(plan, fleet: spec.name))
        case .json:
            Stdout.write(String(decoding: try plan.jsonData(), as: UTF8.self) + "\n")
        }
        if detailedExitcode && !plan.isEmpty { throw ExitCode(2) }
    }

    func observedState(_ spec: FleetSpec) async throws -> ObservedState {
        guard let observed else {
            return try await LiveObservation.observe(spec: spec, configPath: options.config, logger: Logger(label: "gamefleet"))
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: observed))
        } catch {
            Stderr.write("\(observed): cannot read the observed state: \(FileManager.default.fileExists(atPath: observed) ? error.localizedDescription : "no such file")\n")
            throw ExitCode.failure
        }
        do {
            return try ObservedState.decode(data)
        } catch let error as DecodingError {
            Stderr.write("\(observed): not a valid observed state: \(Self.describe(error))\n")
            throw ExitCode.failure
        }
    }

    /// A decoding error as a person reads it: the JSON path and the problem.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "(top level)" : String(text.drop(while: { $0 == "." }))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let at = path(context.codingPath)
            return "\(at == "(top level)" ? "" : at + ": ")missing key '\(key.stringValue)'"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type)\(context.debugDescription.isEmpty ? "" : " (\(context.debugDescription))")"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(type), got null"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)\(context.underlyingError.map { " (\($0.localizedDescription))" } ?? "")"
        @unknown default:
            return "\(error)"
        }
    }
}
