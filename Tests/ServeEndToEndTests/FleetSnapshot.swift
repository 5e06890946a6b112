import Foundation
import Glibc

/// `GET /v1/fleet` as a client reads it. Declared here rather than imported from FleetRuntime so the
/// test checks the wire format a user sees, not the types that produce it. Dates stay strings.
struct FleetSnapshot: Decodable {
    var fleet: String
    var provider: String
    var dryRun: Bool
    var ready: Bool
    var config: Config
    var lastPassAt: String?
    var observed: Observed?
    var lastPlan: Plan?
    var reservedSlots: [String: Int]

    /// The last failed launches, newest first (absent on an older serve).
    var launchFailures: [LaunchFailure]?
    struct LaunchFailure: Decodable {
        var reason: String?
        var error: String
    }

    struct Config: Decodable {
        var path: String
        var hash: String
        var loadedAt: String
        var lastReloadAt: String?
        var lastReloadErrors: [String]
    }

    struct Observed: Decodable {
        var observedAt: String?
        var servers: [Server]
        var demand: Demand?
        var startup: Startup?
        var trend: Trend?
    }

    /// The smoothed arrival rate serve folds each pass's window into.
    struct Trend: Decodable {
        var smoothedPerMinute: Double
        var heldPerMinute: Double
        var players: Int?
    }

    /// What the allocation endpoint answered since the previous pass.
    struct Demand: Decodable {
        var windowSeconds: Double
        var requests: Int
        var allocations: Int
        var backup: Int
        var unavailable: Int
        var reservedUnconfirmed: Int
    }

    /// The measured startup time of this serve's launches.
    struct Startup: Decodable {
        var p90Seconds: Double
        var samples: Int
    }

    struct Server: Decodable {
        var id: String
        var address: String?
        var taskDefinition: String
        var lifecycle: String
        var standby: Bool
        var launchedAt: String
        var health: Health

        /// The process id in a local provider's server id, `local-<port>-<pid>`.
        var pid: pid_t? {
            guard id.hasPrefix("local-"), let last = id.split(separator: "-").last else { return nil }
            return pid_t(last)
        }

        /// True once a probe answered and none has failed since.
        var answering: Bool { health.lastSuccessAt != nil && health.consecutiveFailures == 0 }
    }

    struct Health: Decodable {
        var availableCapacity: Int?
        var readyToClose: Bool?
        var consecutiveFailures: Int
        var lastSuccessAt: String?
    }

    struct Plan: Decodable {
        var actions: [Action]
        var summary: Summary
        var limits: [String]
        var requeueSoon: Bool
    }

    struct Action: Decodable {
        var kind: String
        var server: String?
        var address: String?
        var taskDefinition: String?
        var reason: String
    }

    struct Summary: Decodable {
        var freeSlots: Int
        var upscaleMargin: Int
        var downscaleMargin: Int
        var servers: Int
        var active: Int
        var standby: Int
        var starting: Int
        var unhealthy: Int
        var outdated: Int
    }

    /// Observed servers, or none before the first pass.
    var servers: [Server] { observed?.servers ?? [] }

    /// One line per server and the last plan's figures, for failure messages.
    var digest: String {
        var lines = servers.map { s in
            "  \(s.id) \(s.address ?? "-") \(s.lifecycle)\(s.standby ? " standby" : "") free \(s.health.availableCapacity.map(String.init) ?? "?") failures \(s.health.consecutiveFailures)"
        }
        if let plan = lastPlan {
            let m = plan.summary
            lines.append("  last plan: \(plan.actions.map(\.kind)) free \(m.freeSlots) margins \(m.upscaleMargin)..\(m.downscaleMargin)")
        }
        if !config.lastReloadErrors.isEmpty {
            lines.append("  lastReloadErrors: \(config.lastReloadErrors)")
        }
        return "ready \(ready), \(servers.count) server(s)\n" + lines.joined(separator: "\n")
    }
}
