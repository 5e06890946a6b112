/// Where the lease item lives (a DynamoDB table in production, memory in unit tests). Every
/// write is conditional on the version the writer last saw, so two replicas can never both
/// believe they wrote over the same lease.
public protocol LeaseStore: Sendable {
    /// The fleet's lease item as the store holds it now (a strongly consistent read), or `nil`
    /// when there is none.
    /// - Throws: when the store cannot be asked; the caller treats that as "nothing learnt".
    func read() async throws -> LeaseRecord?

    /// Writes `record` when the stored item's version is `expected`, or, with `expected` nil,
    /// when there is no item at all.
    /// - Throws: ``LeaseConflict`` when that does not hold; any other error when the store
    ///   could not be asked (the write may or may not have happened).
    func write(_ record: LeaseRecord, expecting expected: String?) async throws

    /// Deletes the item when its version is `version` (a graceful release).
    /// - Throws: ``LeaseConflict`` when the item is not at that version (someone took over).
    func delete(version: String) async throws
}

/// A conditional lease write was refused: the stored item is not at the version the writer
/// expected (another replica wrote it, or it was deleted or created meanwhile).
public struct LeaseConflict: Error, Sendable, Equatable, CustomStringConvertible {
    public init() {}
    public var description: String { "the lease item changed meanwhile (another replica wrote it)" }
}
