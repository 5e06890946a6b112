import FleetCore
import Foundation

/// The health records of the fleet's servers, kept across passes: what probes said, never what to
/// do (decided afresh each pass). The loop's other memories (first sightings, startup times, demand,
/// action backoff) are listed on ``Reconciler``.
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
