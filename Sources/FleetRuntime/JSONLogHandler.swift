import Foundation
import Logging
import Synchronization

/// `--log-format json`: one JSON object a line on stderr, for log pipelines that query fields.
///
/// Each line has `time` (ISO 8601 with milliseconds, UTC), `level`, `message`, `label`, and every
/// metadata key as a top-level field (`fleet`, `server`, `action`, `reason_code`, `aws_request_id`
/// where the code sets them). Keys are sorted, so lines diff well; a metadata key that would shadow
/// one of the four is prefixed with `meta_`.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    let label: String
    let write: @Sendable (String) -> Void

    /// Writes to stderr, one whole line per call (lines from several threads never interleave).
    public init(label: String) {
        self.label = label
        self.write = { line in
            JSONLogHandler.stderrLock.withLock { _ in FileHandle.standardError.write(Data(line.utf8)) }
        }
    }

    /// Writes each line to `write` (tests).
    public init(label: String, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.write = write
    }

    static let stderrLock = Mutex(())

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: Any] = [
            "time": Self.timestamp(Date()),
            "level": event.level.rawValue,
            "message": event.message.description,
            "label": label,
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            let name = fields[key] == nil ? key : "meta_" + key
            fields[name] = Self.plain(value)
        }
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        write(String(decoding: data, as: UTF8.self) + "\n")
    }

    static func plain(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let value): return value.description
        case .array(let values): return values.map(plain)
        case .dictionary(let values): return values.mapValues(plain)
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().timeZone(separator: .omitted).time(includingFractionalSeconds: true).timeSeparator(.colon))
    }
}
