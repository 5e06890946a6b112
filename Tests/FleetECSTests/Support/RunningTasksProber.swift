import FleetRuntime
import Synchronization

/// A health prober for moto's tasks, which run no containers: a probe of a host where moto runs a
/// task of the fleet answers healthy (all slots free, not ready to close); any other fails. The
/// test refreshes the hosts from moto before each pass.
final class RunningTasksProber: HealthProber {
    let capacity: Int
    private let hosts = Mutex<Set<String>>([])

    init(capacity: Int) { self.capacity = capacity }

    /// The hosts where the fleet's tasks run now.
    func set(hosts running: Set<String>) { hosts.withLock { $0 = running } }

    func probe(host: String, port: Int, path: String, timeout: Duration) async -> ProbeResult {
        hosts.withLock { $0.contains(host) }
            ? .answered(availableCapacity: capacity, readyToClose: false)
            : .failed("no task of the fleet runs on \(host)")
    }
}
