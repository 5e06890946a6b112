import ArgumentParser
import AsyncHTTPClient
import FleetCore
import FleetRuntime
import Foundation
import Logging
import NIOCore

/// Observes the live fleet for `plan`, `observe` and `apply`.
///
/// - ecs: asks ECS, then probes every gameserver once.
/// - local: the gameservers are children of a running `gamefleet serve`, so its `/v1/fleet` is asked.
enum LiveObservation {
    static func observe(spec: FleetSpec, configPath: String, logger: Logger) async throws -> ObservedState {
        switch spec.provider {
        case .local:
            return try await fromServe(spec: spec, configPath: configPath)
        case .ecs:
            let provider = try await ProviderFactory.make(spec: spec, configPath: configPath, logger: logger)
            let client = HTTPHealthProber.makeClient()
            let fleet = FleetState(spec: spec, config: ConfigStatus(path: configPath, hash: "", loadedAt: Date()), metrics: FleetMetrics())
            let reconciler = Reconciler(provider: provider, prober: HTTPHealthProber(client: client), fleet: fleet, logger: logger)
            do {
                let observed = try await reconciler.observe()
                await provider.shutdown()
                try? await client.shutdown()
                return observed
            } catch {
                await provider.shutdown()
                try? await client.shutdown()
                Stderr.write("cannot observe the fleet (provider ecs, cluster \(spec.ecs?.cluster ?? "?")): \(error)\n")
                throw ExitCode.failure
            }
        }
    }

    static func fromServe(spec: FleetSpec, configPath: String) async throws -> ObservedState {
        // The admin face serves /v1/fleet, behind admin.token when one is set.
        let url = "http://\(spec.admin.listen)/v1/fleet"
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        let fetched: Result<FleetSnapshot, any Error>
        do {
            var request = HTTPClientRequest(url: url)
            if let token = spec.admin.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            let response = try await client.execute(request, timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 64 << 20)
            guard response.status == .ok else { throw LiveObservationError(message: "HTTP \(response.status.code)") }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            fetched = .success(try decoder.decode(FleetSnapshot.self, from: Data(buffer: body)))
        } catch {
            fetched = .failure(error)
        }
        try? await client.shutdown()
        let snapshot: FleetSnapshot
        switch fetched {
        case .success(let value):
            snapshot = value
        case .failure(let error):
            Stderr.write("""
            provider local: the gameservers are children of a running `gamefleet serve`, and none answered at \(url) \
            (admin.listen in \(configPath)): \(error). Start `gamefleet serve`, or pass --observed FILE.

            """)
            throw ExitCode.failure
        }
        guard let observed = snapshot.observed else {
            Stderr.write("provider local: gamefleet serve at \(url) has not finished its first pass yet; try again in a moment\n")
            throw ExitCode.failure
        }
        return observed
    }
}

struct LiveObservationError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
