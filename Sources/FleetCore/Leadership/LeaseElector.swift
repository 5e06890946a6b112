// Leadership/: several replicas, one leader: the lease elector (pure), the lease record and the
// store protocol it is kept behind, and the status each replica reports.

/// Decides, from what the lease store answered and the replica's own monotonic clock, whether
/// this replica leads: a pure value with no I/O, driven by the lease service (which reads and
/// writes the store and passes `now` in).
///
/// The rules (after the DynamoDB lock client's approach; no replica trusts another's clock):
/// - A replica that does not hold the lease reads the item every ``renewInterval``. No item:
///   it creates one (``Decision/acquire``, conditional on there being none). An item whose
///   version changed since the last read: someone is renewing; it remembers when (on its own
///   clock) it first saw this version and waits. An item whose version stayed the same for a
///   full ``leaseDuration`` since then: the holder stopped renewing; it writes over it,
///   conditional on that very version (``Decision/takeOver(expected:)``).
/// - The holder renews every ``renewInterval`` with a new random version, conditional on its
///   own last version. A refused renewal means someone took over (or the item was deleted):
///   it is a follower at once.
/// - Fencing: the holder may apply actions only while less than ``leaseDuration`` minus
///   ``safetyMargin`` has passed since its last *successful* renewal *started*. A follower can
///   take over only after it saw that renewal's version for a full ``leaseDuration``, and it
///   could see it only after the write started, so the old leader stops applying at least
///   ``safetyMargin`` before anyone else may start (the margin absorbs clock-rate differences
///   and an action in flight at the fence).
public struct LeaseElector: Sendable, Equatable {
    /// This replica's id, written into the lease as ``LeaseRecord/holder``.
    public let replicaID: String
    /// This replica's admin address, written into the lease.
    public let address: String
    public let leaseDuration: Duration
    public let safetyMargin: Duration

    /// The version of the lease this replica holds; nil when it holds none.
    public private(set) var heldVersion: String?
    /// When the write of ``heldVersion`` started, on this replica's clock.
    public private(set) var heldSince: Duration = .zero
    /// Counts the times this replica began to hold the lease (acquired or took it over after
    /// holding none): a leadership's number. Renewing, even after the fence closed, keeps it, since
    /// no other replica can have led in between.
    public private(set) var term = 0
    /// The other holder's lease as last read, and when its version was first seen.
    public private(set) var observed: LeaseRecord?
    public private(set) var observedSince: Duration = .zero

    /// Creates an elector that holds nothing and has seen nothing.
    /// - Parameters:
    ///   - leaseDuration: how long a lease holds without renewal.
    ///   - safetyMargin: how long before the end of its lease the holder stops applying; less
    ///     than `leaseDuration`.
    public init(replicaID: String, address: String, leaseDuration: Duration, safetyMargin: Duration) {
        self.replicaID = replicaID
        self.address = address
        self.leaseDuration = leaseDuration
        self.safetyMargin = min(safetyMargin, leaseDuration)
    }

    /// How often to renew (holder) or read (follower): a third of the lease, so two renewals
    /// can fail before the fence closes.
    public var renewInterval: Duration { leaseDuration / 3 }

    /// What to do with the store this round.
    public enum Step: Sendable, Equatable {
        /// Renew the held lease: write a new version, expecting this one.
        case renew(expected: String)
        /// Read the item, then call ``observe(_:at:)``.
        case read
    }

    /// What to write after a read.
    public enum Decision: Sendable, Equatable {
        /// There is no lease: create one (expecting none).
        case acquire
        /// The lease was not renewed for a full duration: write over it, expecting this version.
        case takeOver(expected: String)
        /// Someone else holds a live lease (or this replica already holds it): write nothing.
        case wait
    }

    /// This round's step.
    public var nextStep: Step {
        if let heldVersion { return .renew(expected: heldVersion) }
        return .read
    }

    /// Folds in what a read found at `now` and says what to write.
    public mutating func observe(_ record: LeaseRecord?, at now: Duration) -> Decision {
        guard let record else {
            observed = nil
            heldVersion = nil
            return .acquire
        }
        if record.version == heldVersion { return .wait }
        if record.version != observed?.version {
            observed = record
            observedSince = now
            return .wait
        }
        observed = record
        return now - observedSince >= leaseDuration ? .takeOver(expected: record.version) : .wait
    }

    /// The record to write for a new version.
    public func record(version: String) -> LeaseRecord {
        LeaseRecord(holder: replicaID, address: address, version: version, leaseDurationMs: Int64(leaseDuration.milliseconds))
    }

    /// A write of `version` that started at `startedAt` succeeded: this replica holds the lease.
    public mutating func wrote(version: String, startedAt: Duration) {
        if heldVersion == nil { term += 1 }
        heldVersion = version
        heldSince = startedAt
        observed = nil
    }

    /// A conditional write was refused, and a read then found `record` at `now`: unless the item
    /// is the very version this replica just wrote (a write whose answer was lost and whose
    /// retry was refused), it has lost the lease (or never got it) and follows.
    /// - Parameter wrote: the version the refused write tried to put, with when it started.
    public mutating func refused(_ wrote: (version: String, startedAt: Duration), found record: LeaseRecord?, at now: Duration) {
        if let record, record.version == wrote.version {
            self.wrote(version: wrote.version, startedAt: wrote.startedAt)
            return
        }
        heldVersion = nil
        if let record {
            if record.version != observed?.version {
                observed = record
                observedSince = now
            }
        } else {
            observed = nil
        }
    }

    /// This replica gave the lease up (graceful release, or a failed renewal it gave up on).
    public mutating func resign() {
        heldVersion = nil
    }

    /// True while this replica may apply actions at `now`: it holds the lease and less than
    /// ``leaseDuration`` − ``safetyMargin`` has passed since its last successful renewal started.
    public func mayApply(at now: Duration) -> Bool {
        guard heldVersion != nil else { return false }
        return now - heldSince < leaseDuration - safetyMargin
    }

    /// Until when, on this replica's clock, it may apply actions and hand out slots from its own
    /// books: when its fence closes. Nil when it holds no lease.
    public var fenceClosesAt: Duration? {
        heldVersion == nil ? nil : heldSince + leaseDuration - safetyMargin
    }

    /// The role and lease facts for `/v1/fleet`, at `now`.
    public func status(at now: Duration) -> LeadershipStatus {
        if let heldVersion {
            return LeadershipStatus(
                role: mayApply(at: now) ? .leader : .fenced, replicaID: replicaID, leader: replicaID, leaderAddress: address,
                leaseVersion: heldVersion, leaseAge: now - heldSince)
        }
        return LeadershipStatus(
            role: .follower, replicaID: replicaID, leader: observed?.holder, leaderAddress: observed?.address,
            leaseVersion: observed?.version, leaseAge: observed == nil ? nil : now - observedSince)
    }
}
