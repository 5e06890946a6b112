import ArgumentParser
import FleetCore
import FleetRuntime
import Logging

/// Makes the provider fleet.yaml names.
enum ProviderFactory {
    static func make(spec: FleetSpec, logger: Logger) async throws -> any FleetProvider {
        switch spec.provider {
        case .local:
            return LocalProvider(logger: logger)
        case .ecs:
            Stderr.write("provider ecs: not available in this build yet (the ecs provider is being built); use provider: local\n")
            throw ExitCode.failure
        }
    }
}
