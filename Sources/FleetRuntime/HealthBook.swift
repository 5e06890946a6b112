import FleetCore
import Foundation

/// The health records of the fleet's servers, kept across passes (the only memory the loop keeps,
/// and only of what probes said: what to do is decided afresh each pass).
public struct HealthBook: Sendable, Equatable {
    public private(set) var records: [String: HealthRecord] = [:]

    public init() {}

    /// Folds one probe's result into a server's record.
    public mutating func record(_ result: ProbeResult, for id: String, at time: Date) {
        var record = records[id] ?? HealthRecord()
        switch result {
        case .answered(let capacity, let ready):
            record.recordSuccess(availableCapacity: capacity, readyToClose: ready, at: time)
        case .failed:
            record.recordFailure()
        }
        records[id] = record
    }

    /// Forgets servers that no longer exist.
    public mutating func keepOnly(_ ids: Set<String>) {
        records = records.filter { ids.contains($0.key) }
    }

    public func record(for id: String) -> HealthRecord {
        records[id] ?? HealthRecord()
    }
}
