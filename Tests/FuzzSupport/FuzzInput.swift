/// One fuzz case: the bytes a parser is fed and the mutations that made them, shown when a case
/// fails so it can be read and turned into a table test.
public struct FuzzInput: Sendable, CustomStringConvertible {
    public var bytes: [UInt8]
    /// Which of the mutator's seeds the case started from (a splice may bring in others).
    public var seed: Int
    /// `seed N`, then each mutation, in order.
    public var steps: [String]

    public init(bytes: [UInt8], seed: Int, steps: [String]) {
        self.bytes = bytes
        self.seed = seed
        self.steps = steps
    }

    /// The bytes as text, with invalid UTF-8 replaced (what a `String` reader sees).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The steps and the first 2,000 characters of the text, escaped.
    public var description: String {
        let shown = text.count > 2000 ? String(text.prefix(2000)) + "… (\(bytes.count) bytes)" : text
        return "[\(steps.joined(separator: "; "))] \(shown.debugDescription)"
    }
}
