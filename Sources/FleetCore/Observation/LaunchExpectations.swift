import Foundation

/// The launches a provider made and has not seen listed yet: the "expectations" a Kubernetes
/// controller keeps so that a lagging listing never doubles a launch.
///
/// A value type with no clock of its own: the provider tells it what it launched, what a listing
/// showed and the time, and reads back ``entries`` to report in the observed state.
///
/// - A launch that answered becomes one confirmed entry per server it started.
/// - A launch whose call failed (it may have reached the provider before the answer was lost)
///   becomes `count` unconfirmed entries under its token; the next launch of that size retries the
///   token (``uncertainBatches``), and its answer confirms or replaces them.
/// - An entry leaves when the listing shows its server, when the provider reports the server gone
///   (it died before it was ever listed: the planner must replace it), or when it is older than the
///   timeout (the provider is not going to list it; the planner decides from what it sees again).
public struct LaunchExpectations: Sendable, Equatable {
    /// Every launch still expected, oldest first.
    public private(set) var entries: [ExpectedLaunch] = []

    public init(entries: [ExpectedLaunch] = []) {
        self.entries = entries
    }

    /// A launch answered with `servers`: they are expected until listed. Replaces any unconfirmed
    /// entries of the same token (a retry whose answer came back this time), keeping their time,
    /// so the timeout counts from the first ask.
    public mutating func launched(token: String, servers: [String], taskDefinition: String, at time: Date) {
        let first = entries.first { $0.token == token && $0.server == nil }?.launchedAt ?? time
        entries.removeAll { $0.token == token && $0.server == nil }
        let known = Set(entries.compactMap(\.server))
        for server in servers where !known.contains(server) {
            entries.append(ExpectedLaunch(token: token, server: server, taskDefinition: taskDefinition, launchedAt: first))
        }
    }

    /// A launch of `count` servers whose outcome is unknown. A retry of a token already expected
    /// keeps the first attempt's time, so the timeout counts from the first ask.
    public mutating func uncertain(token: String, count: Int, taskDefinition: String, at time: Date) {
        let first = entries.first { $0.token == token }?.launchedAt ?? time
        entries.removeAll { $0.token == token && $0.server == nil }
        for _ in 0..<max(0, count) {
            entries.append(ExpectedLaunch(token: token, server: nil, taskDefinition: taskDefinition, launchedAt: first))
        }
    }

    /// Drops the unconfirmed entries of `token`: the retry showed the launch did not happen.
    public mutating func forget(token: String) {
        entries.removeAll { $0.token == token && $0.server == nil }
    }

    /// Folds in an observation made at `time`: entries whose server was `listed` or found `gone`
    /// leave, and so do entries launched more than `timeout` seconds ago.
    /// - Returns: the entries that left because of the timeout (for the log).
    @discardableResult
    public mutating func observe(listed: Set<String>, gone: Set<String>, at time: Date, timeout: TimeInterval) -> [ExpectedLaunch] {
        entries.removeAll { entry in entry.server.map { listed.contains($0) || gone.contains($0) } ?? false }
        let expired = entries.filter { time.timeIntervalSince($0.launchedAt) > timeout }
        entries.removeAll { time.timeIntervalSince($0.launchedAt) > timeout }
        return expired
    }

    /// Confirmed servers, for a provider to look up directly when the listing leaves them out.
    public var confirmedServers: [String] {
        entries.compactMap(\.server)
    }

    /// Launches whose answer was lost, oldest first: their token, how many servers they asked for
    /// and what they run. A new launch of the same task definition retries these tokens first.
    public var uncertainBatches: [(token: String, count: Int, taskDefinition: String)] {
        var order: [String] = []
        var counts: [String: (count: Int, taskDefinition: String)] = [:]
        for entry in entries where entry.server == nil {
            if counts[entry.token] == nil { order.append(entry.token) }
            counts[entry.token, default: (0, entry.taskDefinition)].count += 1
        }
        return order.map { ($0, counts[$0]!.count, counts[$0]!.taskDefinition) }
    }
}
