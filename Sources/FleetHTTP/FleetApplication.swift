import FleetCore
import FleetRuntime
import Hummingbird
import Logging

/// Builds the HTTP service on `listen`. The returned application is a `Service` for the
/// `ServiceGroup` that also runs the reconcile loop and the config watcher.
public func buildApplication(fleet: FleetState, metrics: FleetMetrics, listen: HostPort, logger: Logger) -> some ApplicationProtocol {
    let router = FleetRouter.build(fleet: fleet, metrics: metrics)
    return Application(
        router: router,
        configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "gamefleet"),
        logger: logger)
}
