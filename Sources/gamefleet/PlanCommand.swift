import ArgumentParser
import FleetConfig
import FleetCore
import FleetRuntime
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
        docs/observed-state.md), from a live serve's admin face with --observed-from URL (GET /v1/observed: the state \
        its last pass planned from; the token from GAMEFLEET_ADMIN_TOKEN or --token-file), or asks the \
        configured provider. --output markdown prints, for a pull-request comment, the config change key by \
        key against the config the live serve runs (GET /v1/config) and the plan. \
        With --detailed-exitcode: 0 no changes, 2 changes, 1 error.
        """)

    enum Output: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    @OptionGroup var options: ConfigOptions

    @Option(help: "Observed state as JSON, instead of asking the provider.")
    var observed: String?

    @Option(help: ArgumentHelp(
        "A live serve's admin face (admin.listen), e.g. http://gamefleet-admin.internal:8001: plan against the state its last pass observed (GET /v1/observed).",
        valueName: "url"))
    var observedFrom: String?

    @Option(help: "With --observed-from: a file whose first line is the admin token (default: GAMEFLEET_ADMIN_TOKEN).")
    var tokenFile: String?

    @Option(help: "Output format: text, json, or markdown (the config change key by key and the plan, for a pull-request comment).")
    var output: Output = .text

    @Flag(help: "Exit 0 when there are no changes, 2 when there are, 1 on error.")
    var detailedExitcode = false

    @Option(help: "Judge the observation as of this time (ISO 8601, e.g. 2026-11-26T10:00:00Z) instead of now; makes offline plans reproducible.")
    var now: String?

    func validate() throws {
        if observed != nil && observedFrom != nil {
            throw ValidationError("--observed and --observed-from both name an observed state; give one")
        }
        if tokenFile != nil && observedFrom == nil {
            throw ValidationError("--token-file is the admin token for --observed-from; give --observed-from too")
        }
    }

    func run() async throws {
        let loaded = try await options.load()
        await loaded.close()
        let spec = loaded.spec
        let admin = try observedFrom.map { url -> AdminFaceClient in
            do {
                return try AdminFaceClient(url: url, flag: "--observed-from",
                                           token: AdminFaceClient.token(file: tokenFile, environment: ProcessInfo.processInfo.environment))
            } catch {
                Stderr.write("\(error)\n")
                throw ExitCode.failure
            }
        }
        let state: ObservedState
        if let admin {
            do {
                state = try await admin.observed()
            } catch {
                Stderr.write("\(error)\n")
                throw ExitCode.failure
            }
        } else {
            state = try await observedState(spec)
        }
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
        case .markdown:
            let context = try await markdownContext(loaded, admin: admin, observedAt: state.observedAt, judgedAt: at)
            Stdout.write(PlanMarkdownRenderer.render(plan, context: context))
        }
        if detailedExitcode && !plan.isEmpty { throw ExitCode(2) }
    }

    /// What the Markdown comment says about the config: with a live serve, its running config and
    /// the change key by key (and the restart-only keys the replicas would refuse).
    func markdownContext(_ loaded: LoadedConfig, admin: AdminFaceClient?, observedAt: Date?, judgedAt: Date) async throws -> PlanMarkdownRenderer.Context {
        var context = PlanMarkdownRenderer.Context(
            fleet: loaded.spec.name, proposed: options.config, proposedHash: loaded.hash, running: nil, changes: nil,
            observedFrom: admin.map { $0.base + "/v1/observed" } ?? observed ?? "the \(loaded.spec.provider.rawValue) provider",
            observedAt: observedAt, judgedAt: judgedAt)
        guard let admin else { return context }
        do {
            let running = try await admin.runningConfig()
            context.running = .init(path: running.path, version: running.version, hash: running.hash)
            context.changes = try ConfigDiff.changes(
                running: running.text, proposed: String(decoding: loaded.bytes, as: UTF8.self),
                runningName: "\(admin.base)/v1/config", proposedName: options.config)
            // Judged as a replica would judge it; the running text's ${VAR}s are read from this
            // environment, as the proposal's were (a text that does not load here is not judged).
            if let runningSpec = try? FleetLoader.parse(running.text, file: running.path, environment: ProcessInfo.processInfo.environment, anchor: loaded.anchor) {
                context.refusals = ConfigReloader.restartOnlyChanges(from: runningSpec, to: loaded.spec).map {
                    "\($0.field): \($0.from) → \($0.to): \($0.why)"
                }
            }
        } catch {
            Stderr.write("\(error)\n")
            throw ExitCode.failure
        }
        return context
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
