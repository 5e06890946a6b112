import FleetCore
import Synchronization

/// A ``LeaseStore`` in memory with DynamoDB's conditional-write semantics, shared by the replicas
/// of a unit test. `failing` makes every call throw, as a store cut off by the network.
public final class InMemoryLeaseStore: LeaseStore {
    /// What a cut-off store throws.
    public struct Unreachable: Error, Sendable {}

    private let state = Mutex<(record: LeaseRecord?, failing: Bool, calls: Int)>((nil, false, 0))

    public init(_ record: LeaseRecord? = nil) {
        state.withLock { $0.record = record }
    }

    /// The item as stored now.
    public var record: LeaseRecord? { state.withLock { $0.record } }
    /// Calls made so far (failed ones included).
    public var calls: Int { state.withLock { $0.calls } }

    /// Makes every later call throw ``Unreachable`` (true) or work again (false).
    public func setFailing(_ failing: Bool) {
        state.withLock { $0.failing = failing }
    }

    public func read() async throws -> LeaseRecord? {
        try state.withLock { s in
            s.calls += 1
            if s.failing { throw Unreachable() }
            return s.record
        }
    }

    public func write(_ record: LeaseRecord, expecting expected: String?) async throws {
        try state.withLock { s in
            s.calls += 1
            if s.failing { throw Unreachable() }
            guard s.record?.version == expected else { throw LeaseConflict() }
            s.record = record
        }
    }

    public func delete(version: String) async throws {
        try state.withLock { s in
            s.calls += 1
            if s.failing { throw Unreachable() }
            guard s.record?.version == version else { throw LeaseConflict() }
            s.record = nil
        }
    }
}
