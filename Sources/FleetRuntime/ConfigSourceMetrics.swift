import Foundation
import Prometheus
import Synchronization

/// The config source's metrics, on the service's registry:
/// - `gamefleet_config_info{source, version, hash}` 1: the running config (one series; the old one
///   is removed when a new version is adopted), for dashboards that show which version runs where;
/// - `gamefleet_config_read_failures`: failed reads of the source in a row (0 once one succeeds).
public final class ConfigSourceMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let info: Mutex<Gauge?> = Mutex(nil)
    let readFailures: Gauge

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        readFailures = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "gamefleet", metricName: "config_read_failures", unitName: "",
            helpText: "Reads of the config source (file, SSM parameter, S3 object) that failed in a row; 0 once one succeeds. The running config stays meanwhile."))
    }

    /// Shows `source`, `version` (empty for a file) and `hash` as the running config.
    public func recordRunning(source: String, version: String?, hash: String) {
        let gauge = registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "gamefleet", metricName: "config_info", unitName: "",
                                             helpText: "The running config: where it was read (source), the source's version and the hash of its bytes. Always 1."),
            labels: [("source", source), ("version", version ?? ""), ("hash", hash)])
        gauge.set(Double(1))
        let old = info.withLock { current -> Gauge? in
            defer { current = gauge }
            return current
        }
        if let old, old !== gauge { registry.unregisterGauge(old) }
    }

    /// Sets `gamefleet_config_read_failures`.
    public func recordReadFailures(_ count: Int) {
        readFailures.set(Double(count))
    }
}
