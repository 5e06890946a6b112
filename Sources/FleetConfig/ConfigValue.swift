import FleetCore

/// Where in the file something was written (1-based).
struct Position: Sendable, Equatable {
    var line: Int
    var column: Int
    static let start = Position(line: 1, column: 1)
}

/// A value that passed its field's type check, still carrying its position for later checks.
indirect enum ConfigValue {
    case string(String)
    case int(Int)
    case decimal(Double)
    case bool(Bool)
    case duration(Duration)
    case hostPort(HostPort)
    case range(ClosedRange<Int>)
    case list([String])
    case object(ConfigObject)
    case objects([ConfigObject])
}

/// A mapping whose keys all passed validation.
struct ConfigObject {
    var path: String
    var position: Position
    var values: [String: Entry] = [:]

    struct Entry {
        var value: ConfigValue
        var position: Position
    }

    func child(_ key: String) -> ConfigObject? {
        if case .object(let o)? = values[key]?.value { return o }
        return nil
    }
    func string(_ key: String) -> String? {
        if case .string(let s)? = values[key]?.value { return s }
        return nil
    }
    func int(_ key: String) -> Int? {
        if case .int(let i)? = values[key]?.value { return i }
        return nil
    }
    func decimal(_ key: String) -> Double? {
        if case .decimal(let d)? = values[key]?.value { return d }
        return nil
    }
    func bool(_ key: String) -> Bool? {
        if case .bool(let b)? = values[key]?.value { return b }
        return nil
    }
    func duration(_ key: String) -> Duration? {
        if case .duration(let d)? = values[key]?.value { return d }
        return nil
    }
    func hostPort(_ key: String) -> HostPort? {
        if case .hostPort(let h)? = values[key]?.value { return h }
        return nil
    }
    func range(_ key: String) -> ClosedRange<Int>? {
        if case .range(let r)? = values[key]?.value { return r }
        return nil
    }
    func list(_ key: String) -> [String]? {
        if case .list(let l)? = values[key]?.value { return l }
        return nil
    }
    func objects(_ key: String) -> [ConfigObject]? {
        if case .objects(let l)? = values[key]?.value { return l }
        return nil
    }
    /// The position of a key's value, or of this mapping when the key is absent.
    func position(of key: String) -> Position { values[key]?.position ?? position }
    func path(of key: String) -> String { path.isEmpty ? key : path + "." + key }
}
