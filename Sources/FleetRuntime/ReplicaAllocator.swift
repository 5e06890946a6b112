import FleetCore
import NIOCore

/// How a replica of a fleet with `ha` answers one allocation, in this order:
/// 1. It leads within its fence: from its own books (``FleetState/allocate(leading:)``, which
///    answers as a full fleet until its first pass as leader has published).
/// 2. It holds lent slots: one of them (``FollowerLoans``), no round trip.
/// 3. Its loan ran out and the leader said it had more free: the leader's answer, relayed
///    (`POST /v1/allocate`).
/// 4. Otherwise (the leader had nothing more, cannot be reached, or refuses): a full fleet's
///    answer, the backup or none. Never the follower's own view of the fleet: it cannot know what
///    the leader and its loans handed out since its last probe, which is how it would overfill.
public struct ReplicaAllocator: Sendable {
    /// An answer to relay as is (the leader's), or an allocation to write.
    public enum Answer: Sendable {
        case allocation(Allocation)
        case relayed(status: Int, body: ByteBuffer)
    }

    let fleet: FleetState
    let gate: any LeadershipGate
    let loans: FollowerLoans
    let link: any AllocationForwarding
    let metrics: FleetMetrics

    public init(fleet: FleetState, gate: any LeadershipGate, loans: FollowerLoans, link: any AllocationForwarding, metrics: FleetMetrics) {
        self.fleet = fleet
        self.gate = gate
        self.loans = loans
        self.link = link
        self.metrics = metrics
    }

    public func allocate() async -> Answer {
        if let term = gate.leadingTerm() {
            return .allocation(await fleet.allocate(leading: term))
        }
        let start = ContinuousClock.now
        switch loans.answer() {
        case .lent(let allocation), .full(let allocation):
            metrics.recordAllocation(allocation, source: .lent, duration: ContinuousClock.now - start)
            return .allocation(allocation)
        case .forward:
            if let leader = link.leaderAddress(), let answer = await link.forward(to: leader) {
                _ = loans.forwarded(reached: true)
                metrics.recordForwarded("forwarded")
                metrics.recordAllocation(Self.result(of: answer), source: .forwarded)
                return .relayed(status: answer.status, body: answer.body)
            }
            let full = loans.forwarded(reached: false) ?? .none
            metrics.recordForwarded("fallback")
            metrics.recordAllocation(full, source: .lent)
            return .allocation(full)
        }
    }

    /// The result label of a relayed answer: 503 is none; a body saying `"backup":true` the backup.
    static func result(of answer: (status: Int, body: ByteBuffer)) -> Allocation {
        guard answer.status == 200 else { return .none }
        let text = String(buffer: answer.body)
        if text.contains(#""backup":true"#) { return .backup(HostPort(host: "backup", port: 1)) }
        return .server(id: "", address: HostPort(host: "server", port: 1))
    }
}
