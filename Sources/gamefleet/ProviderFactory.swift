import ArgumentParser
import FleetCore
import FleetECS
import FleetRuntime
import Logging

/// Makes the provider fleet.yaml names.
enum ProviderFactory {
    static func make(spec: FleetSpec, logger: Logger) async throws -> any FleetProvider {
        switch spec.provider {
        case .local:
            return LocalProvider(logger: logger)
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
