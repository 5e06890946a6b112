import FleetCore
import Yams

/// Walks a composed YAML tree against ``FleetSchema``, collecting every error instead of stopping at
/// the first, and returns the values that passed.
struct SchemaValidator {
    let file: String
    /// The path relative file names (`admin.tokenFile`) are resolved against: the file itself, or
    /// for a config kept in AWS a path in the working directory.
    let anchor: String
    let environment: [String: String]
    var errors: [ConfigError] = []
    /// Values substituted into text fields: masked in everything gamefleet shows (see ``SecretValues``).
    var secrets = SecretValues()
    /// Every substituted value, text or not: masked in this file's error messages.
    var substituted = SecretValues()

    init(file: String, anchor: String? = nil, environment: [String: String]) {
        self.file = file
        self.anchor = anchor ?? file
        self.environment = environment
    }

    mutating func fail(_ position: Position, _ path: String, _ message: String) {
        errors.append(ConfigError(file: file, line: position.line, column: position.column, path: path, message: message))
    }

    static func position(of node: Node) -> Position {
        guard let mark = node.mark else { return .start }
        return Position(line: mark.line, column: mark.column)
    }

    mutating func object(_ node: Node, fields: [Field], path: String) -> ConfigObject? {
        let position = Self.position(of: node)
        guard case .mapping(let mapping) = node else {
            fail(position, path, "expected a mapping of keys (\(fields.map(\.name).joined(separator: ", "))), got \(Self.describe(node))")
            return nil
        }
        var object = ConfigObject(path: path, position: position)
        let names = fields.map(\.name)
        var suggested: Set<String> = []
        for (keyNode, valueNode) in mapping {
            let keyPosition = Self.position(of: keyNode)
            guard case .scalar(let keyScalar) = keyNode else {
                fail(keyPosition, path, "keys must be plain words, got \(Self.describe(keyNode))")
                continue
            }
            let key = keyScalar.string
            let keyPath = path.isEmpty ? key : path + "." + key
            guard let field = fields.first(where: { $0.name == key }) else {
                var message = "unknown key '\(key)'"
                if let near = Suggestion.closest(to: key, in: names) {
                    suggested.insert(near)
                    message += "; did you mean '\(near)'?"
                } else {
                    message += "; known keys here: \(names.joined(separator: ", "))"
                }
                fail(keyPosition, keyPath, message)
                continue
            }
            if field.nullable, Self.isNull(valueNode) { continue }
            if let value = self.value(valueNode, field: field, path: keyPath) {
                object.values[key] = .init(value: value, position: Self.position(of: valueNode))
            }
        }
        for field in fields where field.required {
            let present = mapping.contains { ($0.key.scalar?.string ?? "") == field.name }
            // A misspelt required key was already reported with its "did you mean".
            if !present && !suggested.contains(field.name) {
                fail(position, path.isEmpty ? field.name : path + "." + field.name, "required key is missing (\(field.doc))")
            }
        }
        return object
    }

    mutating func value(_ node: Node, field: Field, path: String) -> ConfigValue? {
        let position = Self.position(of: node)
        switch field.kind {
        case .object(let fields):
            return object(node, fields: fields, path: path).map { .object($0) }
        case .stringList(let nonEmpty):
            guard case .sequence(let sequence) = node else {
                fail(position, path, "expected a list of strings, e.g. [\"a\", \"b\"], got \(Self.describe(node))")
                return nil
            }
            var items: [String] = []
            var ok = true
            for (index, item) in sequence.enumerated() {
                guard let text = scalarText(item, path: "\(path)[\(index)]", secret: true) else { ok = false; continue }
                items.append(text.text)
            }
            if nonEmpty && items.isEmpty && ok {
                fail(position, path, "must not be empty")
                return nil
            }
            return ok ? .list(items) : nil
        case .objectList(let fields, let nonEmpty):
            guard case .sequence(let sequence) = node else {
                fail(position, path, "expected a list of mappings, each with keys \(fields.map(\.name).joined(separator: ", ")), got \(Self.describe(node))")
                return nil
            }
            var items: [ConfigObject] = []
            var ok = true
            for (index, item) in sequence.enumerated() {
                guard let object = object(item, fields: fields, path: "\(path)[\(index)]") else { ok = false; continue }
                items.append(object)
            }
            if nonEmpty && items.isEmpty && ok {
                fail(position, path, "must not be empty (leave the key out instead)")
                return nil
            }
            return ok ? .objects(items) : nil
        default:
            var isText = false
            if case .string = field.kind { isText = true }
            guard let text = scalarText(node, path: path, secret: isText) else { return nil }
            return scalar(text, kind: field.kind, position: position, path: path)
        }
    }

    /// A scalar's text after environment substitution, and whether it was written unquoted (so it
    /// may be read as a number, boolean or null).
    /// `secret` says the field holds text, whose substituted values are kept as secrets.
    mutating func scalarText(_ node: Node, path: String, secret: Bool = false) -> (text: String, plain: Bool)? {
        let position = Self.position(of: node)
        guard case .scalar(let scalar) = node else {
            fail(position, path, "expected a single value, got \(Self.describe(node))")
            return nil
        }
        let raw = scalar.string
        var used: [(variable: String, value: String)] = []
        switch EnvironmentSubstitution.substitute(raw, environment: environment, used: &used) {
        case .success(let text):
            for (variable, value) in used {
                substituted.add(variable: variable, value: value)
                if secret { secrets.add(variable: variable, value: value) }
            }
            // A substituted value is read by the field's type, quoted or not.
            return (text, scalar.style == .plain || EnvironmentSubstitution.mentionsVariable(raw))
        case .failure(.unset(let name)):
            fail(position, path, "environment variable \(name) is not set (write ${\(name):-default} to give a default)")
        case .failure(.malformed(let text)):
            fail(position, path, "malformed variable reference '\(text)': write ${NAME} or ${NAME:-default}")
        }
        return nil
    }

    mutating func scalar(_ value: (text: String, plain: Bool), kind: Field.Kind, position: Position, path: String) -> ConfigValue? {
        let text = value.text
        switch kind {
        case .string:
            if value.plain, Self.nullWords.contains(text) {
                fail(position, path, "expected a string, got null")
                return nil
            }
            return .string(text)
        case .integer(let bounds):
            guard value.plain, let number = Int(text) else {
                // Digits too many for an Int are a number past the bound, not a word.
                if value.plain, Self.isWholeNumber(text) {
                    fail(position, path, text.hasPrefix("-") ? "must be at least \(bounds.lowerBound), got \(text)" : "must be at most \(bounds.upperBound), got \(text)")
                    return nil
                }
                fail(position, path, "expected a whole number, got \(Self.quote(text, value.plain))")
                return nil
            }
            guard number >= bounds.lowerBound else {
                fail(position, path, "must be at least \(bounds.lowerBound), got \(number)")
                return nil
            }
            guard number <= bounds.upperBound else {
                fail(position, path, "must be at most \(bounds.upperBound), got \(number)")
                return nil
            }
            return .int(number)
        case .decimal(let bounds, let excludingLowerBound):
            guard value.plain, let number = Self.decimal(text) else {
                fail(position, path, "expected a number such as 0.0408 (digits, a point, digits), got \(Self.quote(text, value.plain))")
                return nil
            }
            let low = Self.decimalText(bounds.lowerBound), high = Self.decimalText(bounds.upperBound)
            if excludingLowerBound, number <= bounds.lowerBound {
                fail(position, path, "must be more than \(low), got \(text)")
                return nil
            }
            guard number >= bounds.lowerBound else {
                fail(position, path, "must be at least \(low), got \(text)")
                return nil
            }
            guard number <= bounds.upperBound else {
                fail(position, path, "must be at most \(high), got \(text)")
                return nil
            }
            return .decimal(number)
        case .boolean:
            guard value.plain, text == "true" || text == "false" else {
                fail(position, path, "expected true or false, got \(Self.quote(text, value.plain))")
                return nil
            }
            return .bool(text == "true")
        case .duration(let allowZero, let longest):
            let duration: Duration
            switch DurationText.read(text) {
            case .malformed:
                fail(position, path, "expected a duration such as 500ms, 10s, 2m or 1h, got \(Self.quote(text, value.plain))")
                return nil
            case .tooLong:
                fail(position, path, "must be at most \(DurationText.format(longest)), got \(Self.quote(text, value.plain))")
                return nil
            case .duration(let read):
                duration = read
            }
            if !allowZero && duration == .zero {
                fail(position, path, "must be longer than zero")
                return nil
            }
            guard duration <= longest else {
                fail(position, path, "must be at most \(DurationText.format(longest)), got \(Self.quote(text, value.plain))")
                return nil
            }
            return .duration(duration)
        case .hostPort:
            guard let hostPort = HostPort(parsing: text) else {
                fail(position, path, "expected host:port (e.g. 127.0.0.1:8888, a port 1-65535), got \(Self.quote(text, value.plain))")
                return nil
            }
            return .hostPort(hostPort)
        case .port:
            guard value.plain, let port = Int(text), (1...65535).contains(port) else {
                fail(position, path, "expected a port number 1-65535, got \(Self.quote(text, value.plain))")
                return nil
            }
            return .int(port)
        case .portRange:
            let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: " ") }
            let numbers = parts.compactMap { Int($0) }
            guard numbers.count == parts.count, (1...2).contains(numbers.count),
                  numbers.allSatisfy({ (1...65535).contains($0) }), numbers.first! <= numbers.last! else {
                fail(position, path, "expected a port range such as 7000-7099 (low-high, ports 1-65535), got \(Self.quote(text, value.plain))")
                return nil
            }
            return .range(numbers.first!...numbers.last!)
        case .choice(let options):
            guard options.contains(text) else {
                var message = "expected one of \(options.joined(separator: ", ")), got \(Self.quote(text, value.plain))"
                if let near = Suggestion.closest(to: text, in: options) { message += "; did you mean '\(near)'?" }
                fail(position, path, message)
                return nil
            }
            return .string(text)
        case .object, .stringList, .objectList:
            return nil  // handled in value(_:field:path:)
        }
    }

    /// An optional sign and at least one ASCII digit, nothing else: a whole number of any size.
    static func isWholeNumber(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// A decimal as people write a price: an optional sign, digits, and at most one point with digits
    /// on at least one side (`0.0408`, `2`, `.5`, `-1`); no exponent, no `inf` or `nan`, so what is
    /// read is what was written. Nil for anything else.
    static func decimal(_ text: String) -> Double? {
        let unsigned = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.contains(where: { !$0.isEmpty }),
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        return Double(text.hasPrefix("+") ? String(unsigned) : text.hasSuffix(".") ? text + "0" : text)
    }

    /// A bound as the schema and the errors print it: `0`, `0.25`, `1000000`.
    static func decimalText(_ value: Double) -> String {
        value == value.rounded() && value.magnitude < 1e15 ? String(Int(value)) : String(value)
    }

    static let nullWords: Set<String> = ["null", "Null", "NULL", "~", ""]

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && nullWords.contains(scalar.string)
    }

    static func quote(_ text: String, _ plain: Bool) -> String {
        if plain && nullWords.contains(text) { return "null" }
        return plain ? "'\(text)'" : "the quoted string \"\(text)\""
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return isNull(node) ? "null" : "the value '\(s.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        default: return "an alias"
        }
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String { String(self).trimmingCharacters(in: set) }
}
