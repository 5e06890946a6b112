import Synchronization

/// Counts the AWS calls the provider makes, per operation (`ListTasks`, `DescribeTasks`, …), and
/// how many of them failed. One call is one ``ECSAPI`` or ``EC2API`` method call, which is one
/// request to AWS apart from the retries the AWS client makes inside it.
public final class AWSCallCounter: Sendable {
    /// The figures at one moment.
    public struct Counts: Sendable, Equatable, CustomStringConvertible {
        /// Calls made, by operation.
        public var calls: [String: Int] = [:]
        /// Calls that threw, by operation.
        public var failures: [String: Int] = [:]

        /// Creates figures (tests compare against them).
        public init(calls: [String: Int] = [:], failures: [String: Int] = [:]) {
            self.calls = calls
            self.failures = failures
        }

        /// All calls made.
        public var total: Int { calls.values.reduce(0, +) }

        /// Calls of `operation`; 0 when none.
        public subscript(operation: String) -> Int { calls[operation] ?? 0 }

        /// E.g. `DescribeTasks 3, ListTasks 1 (total 4)`, operations sorted by name.
        public var description: String {
            let parts = calls.keys.sorted().map { key in
                let failed = failures[key].map { ", \($0) failed" } ?? ""
                return "\(key) \(calls[key]!)\(failed)"
            }
            return parts.isEmpty ? "no calls" : parts.joined(separator: ", ") + " (total \(total))"
        }
    }

    private let state = Mutex(Counts())

    /// A counter at zero.
    public init() {}

    /// The figures so far.
    public var counts: Counts { state.withLock { $0 } }

    /// Starts counting from zero again.
    public func reset() {
        state.withLock { $0 = Counts() }
    }

    /// Runs `call` as one call of `operation`, counting it, and its failure if it throws.
    func count<T>(_ operation: String, _ call: () async throws -> T) async throws -> T {
        state.withLock { $0.calls[operation, default: 0] += 1 }
        do {
            return try await call()
        } catch {
            state.withLock { $0.failures[operation, default: 0] += 1 }
            throw error
        }
    }
}
