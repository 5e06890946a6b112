/// A trace file that cannot be read, with where the problem is.
public struct TraceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as it was named to the parser.
    public var file: String
    /// 1-based line; 0 when the problem is the file as a whole (empty, no rows).
    public var line: Int
    /// 1-based column of the offending field; 0 when the whole line is at fault.
    public var column: Int
    /// The field or metadata key at fault (`minute`, `arrivals`, `session_mean_minutes`); empty when none.
    public var field: String
    /// What is wrong and what is expected instead.
    public var message: String

    /// An error at `file:line:column`.
    public init(file: String, line: Int, column: Int, field: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// `FILE:LINE:COLUMN: field: message`, the form editors jump to.
    public var description: String {
        var text = file
        if line > 0 { text += ":\(line)" }
        if line > 0 && column > 0 { text += ":\(column)" }
        text += ": "
        if !field.isEmpty { text += field + ": " }
        return text + message
    }
}
