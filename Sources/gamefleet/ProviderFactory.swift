import ArgumentParser
import FleetCore
import FleetECS
import FleetRuntime
import Foundation
import Logging

/// Makes the provider fleet.yaml names.
enum ProviderFactory {
    /// Where `serve` keeps the fleet's demand history (the seasonal profile): for the local
    /// provider, `X.demand.json` beside its state file `X.state.json`. Nil for ECS without `ha`: the
    /// history stays in the process (with `ha`, serve keeps it in the lease table: ``HAReplica``).
    static func demandHistory(spec: FleetSpec, configPath: String) -> (any DemandHistoryStore)? {
        guard spec.provider == .local else { return nil }
        let anchor = (try? ConfigLocation(parsing: configPath))?.anchorPath(workingDirectory: FileManager.default.currentDirectoryPath) ?? configPath
        let stateFile = LocalProvider.stateFileLocation(configured: spec.local?.stateFile, configPath: anchor, fleet: spec.name)
        return DemandHistoryFile(path: DemandHistoryFile.beside(stateFile: stateFile))
    }

    /// `configPath` locates the local provider's state file (`local.stateFile`, relative to the fleet
    /// file's directory). Only `serve` runs local gameservers.
    /// With `dryRun`, the local provider only reads the state file (see ``LocalProvider/init(observing:fleet:logger:)``).
    static func make(spec: FleetSpec, configPath: String, dryRun: Bool = false, logger: Logger) async throws -> any FleetProvider {
        switch spec.provider {
        case .local:
            // Relative to the fleet file; for a config kept in AWS, to the working directory.
            let anchor = (try? ConfigLocation(parsing: configPath))?.anchorPath(workingDirectory: FileManager.default.currentDirectoryPath) ?? configPath
            let stateFile = LocalProvider.stateFileLocation(configured: spec.local?.stateFile, configPath: anchor, fleet: spec.name)
            if dryRun { return LocalProvider(observing: stateFile, fleet: spec.name, logger: logger) }
            do {
                return try LocalProvider(stateFile: stateFile, fleet: spec.name, logger: logger)
            } catch {
                Stderr.write("\(configPath): local.stateFile: \(error)\n")
                throw ExitCode.failure
            }
        case .ecs:
            guard let ecs = spec.ecs else {
                Stderr.write("provider ecs needs an ecs: section\n")
                throw ExitCode.failure
            }
            do {
                return try ECSProvider.live(spec: ecs, logger: logger)
            } catch {
                Stderr.write("ecs: cannot set up the AWS clients: \(error)\n")
                throw ExitCode.failure
            }
        }
    }
}
