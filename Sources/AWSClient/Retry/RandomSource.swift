/// Where retry jitter comes from: a function returning numbers in [0, 1). Injected so that
/// tests can choose the waits.
public struct RandomSource: Sendable {
    /// Returns the next number in [0, 1).
    public let next: @Sendable () -> Double

    /// Creates a source from `next`; values outside [0, 1) are clamped by the user.
    public init(_ next: @escaping @Sendable () -> Double) {
        self.next = next
    }

    /// The system's random number generator.
    public static let system = RandomSource { Double.random(in: 0..<1) }

    /// Always `value`; for tests.
    public static func constant(_ value: Double) -> RandomSource {
        RandomSource { value }
    }
}
