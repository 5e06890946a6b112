import FleetRuntime
import Synchronization

/// A prober that passes probes of loopback addresses on to `base` and refuses any other address
/// (and remembers it), so a provider reporting an address moto made up can never send a probe off
/// this machine.
final class LoopbackProber: HealthProber {
    let base: any HealthProber
    private let refused = Mutex<[String]>([])

    init(_ base: any HealthProber) { self.base = base }

    /// Addresses refused so far.
    var refusedHosts: [String] { refused.withLock { $0 } }

    func probe(host: String, port: Int, path: String, timeout: Duration) async -> ProbeResult {
        guard host.hasPrefix("127.") else {
            refused.withLock { $0.append(host) }
            return .failed("refused: \(host) is not a loopback address")
        }
        return await base.probe(host: host, port: port, path: path, timeout: timeout)
    }
}
