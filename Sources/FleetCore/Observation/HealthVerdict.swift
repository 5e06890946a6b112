import Foundation

/// What the planner makes of one server's health record: rule 1 of ``Planner``, in one place (a
/// host that never registered with the cluster has no record to judge: the planner's
/// `judgeUnregistered` covers it).
///
/// The clock that matters is this gamefleet process's, not the server's age: `startupGrace`
/// counts from the later of ``ObservedServer/launchedAt`` and ``ObservedServer/firstSeenAt``, so
/// a restarted gamefleet never stops a server with players because its own first probe failed.
public enum HealthVerdict: Sendable, Equatable {
    /// It answered, and fewer than `failureThreshold` probes failed since.
    case answered
    /// Launched recently and not answered yet: inside its startup grace, counted at full capacity.
    case starting
    /// Not answered, but nothing says it is broken: it was found already running and has failed
    /// fewer than `failureThreshold` probes since, or its address could not be looked up this pass.
    /// Kept, never stopped for it, and counted as no free slots. The text says why, for people.
    case unknown(String)
    /// Stop it; the code says why for logs and metrics, the text for people.
    case unhealthy(ReasonCode, String)

    /// Judges `server` against `health` at `now`.
    ///
    /// - A server that answered is unhealthy once `failureThreshold` probes in a row failed.
    /// - One that never answered and was already past its startup grace when first seen (found
    ///   running, e.g. after a restart) gets `failureThreshold` probes like any other, counted since
    ///   first seen; and if it cannot be probed at all, `startupGrace` from first sight.
    /// - One launched while watched is unhealthy once `startupGrace` passed without an answer.
    /// - One whose address lookup failed is unknown whatever its age: no probe could be made.
    /// - Without ``ObservedServer/firstSeenAt`` (an older file) a server older than its grace
    ///   counts as found running, judged by `failureThreshold` alone.
    public static func judge(_ server: ObservedServer, health: HealthSpec, now: Date) -> HealthVerdict {
        let record = server.health
        let threshold = health.failureThreshold
        if record.hasAnswered {
            if record.consecutiveFailures >= threshold {
                return .unhealthy(.unhealthyFailedProbes, "failed \(record.consecutiveFailures) health probes in a row (failureThreshold \(threshold))")
            }
            return .answered
        }
        if server.address == nil, let why = server.addressLookupError {
            return .unknown("address unknown this pass (\(why)); kept and looked up again")
        }
        let grace = health.startupGrace.seconds
        let launchedAgo = DurationText.wholeSeconds(now.timeIntervalSince(server.launchedAt))
        let foundRunning = server.firstSeenAt.map { $0.timeIntervalSince(server.launchedAt) > grace }
            ?? (now.timeIntervalSince(server.launchedAt) > grace)
        if foundRunning {
            if record.consecutiveFailures >= threshold {
                return .unhealthy(.unhealthyFailedProbes, "found running (launched \(launchedAgo) ago), it failed \(record.consecutiveFailures) health probes in a row since without answering (failureThreshold \(threshold))")
            }
            if let seen = server.firstSeenAt, now.timeIntervalSince(seen) > grace {
                return .unhealthy(.neverAnswered, "never answered its health probe within startupGrace \(DurationText.format(health.startupGrace)) of being first seen (\(DurationText.wholeSeconds(now.timeIntervalSince(seen))) ago; launched \(launchedAgo) ago)")
            }
            return .unknown("found running (launched \(launchedAgo) ago), not answered yet; \(record.consecutiveFailures) of failureThreshold \(threshold) probes failed")
        }
        let since = max(server.launchedAt, server.firstSeenAt ?? server.launchedAt)
        if now.timeIntervalSince(since) > grace {
            return .unhealthy(.neverAnswered, "never answered its health probe within startupGrace \(DurationText.format(health.startupGrace)) (launched \(launchedAgo) ago)")
        }
        return .starting
    }
}
