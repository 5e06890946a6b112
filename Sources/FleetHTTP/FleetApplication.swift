import FleetCore
import FleetRuntime
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Builds the public face on `spec.listen`: allocations and `/healthz`, with the rate limit and
/// connection hygiene. The returned application is a `Service` for the `ServiceGroup` that also runs
/// the reconcile loop, the admin face and the config watcher.
public func buildPublicApplication(
    fleet: FleetState, metrics: FleetMetrics, spec: FleetSpec, logger: Logger, replica: ReplicaAllocator? = nil
) -> some ApplicationProtocol {
    Application(
        router: FleetRouter.buildPublic(fleet: fleet, metrics: metrics, replica: replica),
        server: .http1(configuration: hygiene(spec.connections)),
        configuration: serverConfiguration(spec.listen, spec.connections, logger: logger),
        logger: logger)
}

/// Builds the admin face on `spec.admin.listen`: the status page, `/v1/fleet`, `/v1/history`,
/// `/metrics` and `/readyz`, behind `admin.token` when one is set.
public func buildAdminApplication(
    fleet: FleetState, metrics: FleetMetrics, spec: FleetSpec, logger: Logger, leadership: (any LeadershipGate)? = nil,
    loans: FollowerLoans? = nil
) -> some ApplicationProtocol {
    Application(
        router: FleetRouter.buildAdmin(fleet: fleet, metrics: metrics, leadership: leadership, loans: loans),
        server: .http1(configuration: hygiene(spec.connections)),
        configuration: serverConfiguration(spec.admin.listen, spec.connections, logger: logger),
        logger: logger)
}

/// Idle connections close after `idleTimeout`; a request head must arrive within `headTimeout`.
func hygiene(_ connections: ConnectionSpec) -> HTTP1Channel.Configuration {
    let head = TimeAmount.nanoseconds(Int64(connections.headTimeout.milliseconds) * 1_000_000)
    return HTTP1Channel.Configuration(
        additionalChannelHandlers: [RequestHeadDeadline(deadline: head)],
        idleTimeout: .nanoseconds(Int64(connections.idleTimeout.milliseconds) * 1_000_000))
}

/// At most `maxConnections` open at once: past that, new connections wait in the kernel's backlog
/// until one closes (idle ones close on their own), rather than exhausting descriptors.
///
/// The backlog holds as many connections as the face may have open (the kernel caps it at
/// `net.core.somaxconn`, 4,096 by default). A burst of connections faster than the face accepts
/// them fills the backlog first; past it, Linux drops the handshake's last step without telling the
/// client, which then believes it is connected to a face that never saw it: an idle client so
/// dropped is never closed, a player's request on it is answered with a reset.
func serverConfiguration(_ listen: HostPort, _ connections: ConnectionSpec, logger: Logger) -> ApplicationConfiguration {
    ApplicationConfiguration(
        address: .hostname(listen.host, port: listen.port), serverName: "gamefleet",
        backlog: max(1024, min(connections.maxConnections, 65_535)),
        availableConnectionsDelegate: MaximumAvailableConnections(connections.maxConnections, logger: logger))
}
