import Logging

/// A log handler that masks the config's secrets (values fleet.yaml took from `${VAR}`) in every
/// message and metadata value before handing the entry on.
public struct RedactingLogHandler: LogHandler {
    var inner: any LogHandler
    let mask: SecretMask

    public init(wrapping inner: any LogHandler, mask: SecretMask) {
        self.inner = inner
        self.mask = mask
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: mask.redact(event.message.description))
        event.metadata = event.metadata.map { $0.mapValues { Self.redact($0, mask) } }
        inner.log(event: event)
    }

    static func redact(_ value: Logger.MetadataValue, _ mask: SecretMask) -> Logger.MetadataValue {
        switch value {
        case .string(let text): return .string(mask.redact(text))
        case .stringConvertible(let value): return .string(mask.redact(value.description))
        case .array(let values): return .array(values.map { redact($0, mask) })
        case .dictionary(let values): return .dictionary(values.mapValues { redact($0, mask) })
        }
    }
}
