import FleetCore
import Foundation
import Logging

/// Keeps this replica's side of the lease: one round against the store at a time (renew when
/// holding, read and maybe acquire or take over when not), decided by a ``LeaseElector`` on the
/// injected monotonic clock. It is the reconciler's ``LeadershipGate``.
///
/// A store call that fails changes nothing this replica believes: a leader whose renewals fail
/// keeps its lease only until its fence closes (``LeaseElector/mayApply(at:)``), however long the
/// calls take, because the fence counts from when the last *successful* renewal started.
public actor LeaseKeeper: LeadershipGate {
    var elector: LeaseElector
    let store: any LeaseStore
    let elapsed: @Sendable () -> Duration
    let newVersion: @Sendable () -> String
    let metrics: FleetMetrics?
    let logger: Logger
    /// The role last logged, so a change of role is logged once.
    var lastRole: LeadershipStatus.Role?
    /// The leader's admin address while this replica follows a known leader; nil while it leads
    /// or knows none. Updated at every round; the public face reads it per request (no actor hop).
    public nonisolated let forwardTarget = SharedValue<String?>(nil)
    /// The leadership's term and when its fence closes (on ``elapsed``), while this replica holds
    /// the lease; nil otherwise. Set at every round; read per allocation by ``leadingTerm()``.
    nonisolated let fence = SharedValue<Fence?>(nil)
    struct Fence: Sendable {
        var term: Int
        var closesAt: Duration
    }
    /// Waited for after this replica gives the lease up and before it deletes it: the end of the
    /// last loan it made (see ``HASpec/loanDuration``). Set once at start.
    nonisolated let loansEnd = SharedValue<(@Sendable () async -> Void)?>(nil)
    /// Pulled each time this replica becomes leader (acquires, takes over, or renews again after
    /// its fence closed): the reconcile loop waits on it so a new leader passes at once.
    public nonisolated let becameLeader = PassTrigger()

    /// Creates a keeper holding nothing.
    /// - Parameters:
    ///   - clock: the monotonic clock all lease ages are measured on (never the wall clock).
    ///   - newVersion: a fresh random version per write (a UUID by default).
    public init<C: Clock>(
        elector: LeaseElector, store: any LeaseStore, clock: C, metrics: FleetMetrics? = nil, logger: Logger,
        newVersion: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) where C.Duration == Duration {
        self.elector = elector
        self.renewInterval = elector.renewInterval
        self.replicaID = elector.replicaID
        self.store = store
        let start = clock.now
        self.elapsed = { start.duration(to: clock.now) }
        self.newVersion = newVersion
        self.metrics = metrics
        self.logger = logger
    }

    public func status() -> LeadershipStatus {
        elector.status(at: elapsed())
    }

    public func mayApply() -> Bool {
        elector.mayApply(at: elapsed())
    }

    public nonisolated func leadingTerm() -> Int? {
        guard let fence = fence.value, elapsed() < fence.closesAt else { return nil }
        return fence.term
    }

    /// Makes ``release()`` wait for `wait` (the end of the last loan) between giving the lease up
    /// and deleting it.
    public nonisolated func waitForLoansBeforeRelease(_ wait: @escaping @Sendable () async -> Void) {
        loansEnd.value = wait
    }

    /// How often ``round()`` should run.
    public nonisolated let renewInterval: Duration
    /// This replica's id.
    public nonisolated let replicaID: String

    /// One round against the store. Never throws: a failed call is logged and counted, and the
    /// next round tries again.
    public func round() async {
        switch elector.nextStep {
        case .renew(let expected):
            await write(expecting: expected, kind: "renew")
        case .read:
            let record: LeaseRecord?
            do {
                record = try await store.read()
            } catch {
                metrics?.recordLease("error")
                logger.warning("cannot read the lease: \(error); still a follower, trying again in \(DurationText.format(renewInterval))")
                noteRole()
                return
            }
            switch elector.observe(record, at: elapsed()) {
            case .acquire: await write(expecting: nil, kind: "acquire")
            case .takeOver(let expected): await write(expecting: expected, kind: "take over")
            case .wait: break
            }
        }
        noteRole()
    }

    /// Writes a new version expecting `expected` and folds the answer into the elector.
    func write(expecting expected: String?, kind: String) async {
        let version = newVersion()
        let started = elapsed()
        do {
            try await store.write(elector.record(version: version), expecting: expected)
            elector.wrote(version: version, startedAt: started)
            metrics?.recordLease("success")
            if kind != "renew" {
                logger.notice("lease: \(kind) succeeded; this replica (\(elector.replicaID)) leads")
            }
        } catch is LeaseConflict {
            // Refused: someone else wrote the item. Read it to know who (and whether the refused
            // write was a retry of our own that had gone through).
            let found = try? await store.read()
            elector.refused((version: version, startedAt: started), found: found, at: elapsed())
            metrics?.recordLease(elector.heldVersion == version ? "success" : "lost")
            if elector.heldVersion == nil {
                logger.warning("lease: \(kind) refused, another replica holds the lease (\(found.map { "\($0.holder) at \($0.address)" } ?? "none now")); following")
            }
        } catch {
            metrics?.recordLease("error")
            let left = elector.mayApply(at: elapsed())
            logger.warning("lease: \(kind) failed: \(error); \(left ? "still leading until the fence closes" : "not applying")")
        }
    }

    /// Gives the lease up: stops applying at once, then deletes the item if it is still ours, so
    /// a follower can acquire it at its next read instead of waiting out the lease.
    public func release() async {
        guard let version = elector.heldVersion else { return }
        elector.resign()
        noteRole()
        // Slots lent to followers stay theirs until they expire: a successor that acquired the
        // lease at once would open its books beside them.
        if let wait = loansEnd.value { await wait() }
        do {
            do {
                try await store.delete(version: version)
            } catch is LeaseConflict {
                // A renewal cut short by the shutdown may have gone through with a version this
                // replica never learnt; the holder id is this replica's alone, so that one is ours too.
                guard let found = try await store.read(), found.holder == elector.replicaID else { throw LeaseConflict() }
                try await store.delete(version: found.version)
            }
            logger.notice("lease released; a follower can take over at once")
        } catch {
            logger.warning("cannot release the lease (\(error)); a follower takes over once it expires")
        }
    }

    /// Logs a change of role and sets the leader gauge.
    func noteRole() {
        let status = elector.status(at: elapsed())
        fence.value = elector.fenceClosesAt.map { Fence(term: elector.term, closesAt: $0) }
        metrics?.recordLeader(status.role == .leader)
        forwardTarget.value = status.role == .follower ? status.leaderAddress : nil
        guard status.role != lastRole else { return }
        lastRole = status.role
        if status.role == .leader { becameLeader.pull() }
        logger.notice("ha role: \(status.text)")
    }
}
