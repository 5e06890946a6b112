/// One thing wrong with a fleet.yaml, located at a line and column (both 1-based).
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// The dotted key path at fault, e.g. `scaling.upscaleMargin`; empty for the whole file.
    public var path: String
    public var message: String

    public init(file: String, line: Int, column: Int, path: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    /// `fleet.yaml:LINE:COL: path.to.key: what is wrong`
    public var description: String {
        if line == 0 { return "\(file): \(message)" }
        return path.isEmpty ? "\(file):\(line):\(column): \(message)" : "\(file):\(line):\(column): \(path): \(message)"
    }
}

/// Every error found in a fleet.yaml, in file order. Thrown when a file is refused.
public struct ConfigErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [ConfigError]

    public init(_ errors: [ConfigError]) {
        self.errors = errors.sorted { ($0.line, $0.column, $0.path) < ($1.line, $1.column, $1.path) }
    }

    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
