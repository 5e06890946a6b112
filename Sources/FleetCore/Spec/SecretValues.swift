import Foundation

/// Values that fleet.yaml took from the environment (`${VAR}`), kept so that nothing gamefleet
/// prints, logs or serves ever shows them: each occurrence is replaced by the reference that
/// produced it, `${VAR}`.
///
/// Only values substituted into text fields (strings and string lists, such as `local.command` or
/// `ecs.cluster`) are kept: a number or a duration from the environment is no secret, and masking
/// every `1` in every log line would make the logs unreadable.
public struct SecretValues: Sendable, Equatable {
    /// Each value with the variable it came from, longest value first so that a value that contains
    /// another is masked whole.
    public private(set) var entries: [Entry] = []

    public struct Entry: Sendable, Equatable {
        public var variable: String
        public var value: String
    }

    public init() {}

    /// Remembers that `variable` gave `value`. Empty values hide nothing and are ignored.
    public mutating func add(variable: String, value: String) {
        guard !value.isEmpty, !entries.contains(where: { $0.value == value }) else { return }
        entries.append(Entry(variable: variable, value: value))
        entries.sort { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.value < $1.value }
    }

    /// True when there is nothing to mask.
    public var isEmpty: Bool { entries.isEmpty }

    /// `text` with every secret value replaced by its `${VAR}` reference.
    public func redact(_ text: String) -> String {
        guard !entries.isEmpty else { return text }
        var out = text
        for entry in entries where out.contains(entry.value) {
            out = out.replacingOccurrences(of: entry.value, with: "${\(entry.variable)}")
        }
        return out
    }
}
