import Foundation
import FleetCore

/// Writes ``FleetSchema`` as a JSON Schema (draft 2020-12) so editors can check fleet.yaml as it is
/// typed. Rules spanning several keys (the margin gap, minServers ≤ maxServers) are checked by
/// `gamefleet validate` only.
public enum JSONSchemaWriter {
    public static func schema() -> [String: Any] {
        var root = object(FleetSchema.root)
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        root["$id"] = "https://gamefleet.invalid/fleet.schema.json"
        root["title"] = "gamefleet fleet.yaml"
        return root
    }

    /// The schema as pretty-printed JSON text with sorted keys.
    public static func json() -> String {
        let data = try! JSONSerialization.data(withJSONObject: schema(), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func object(_ fields: [Field]) -> [String: Any] {
        var properties: [String: Any] = [:]
        for field in fields { properties[field.name] = property(field) }
        var out: [String: Any] = ["type": "object", "additionalProperties": false, "properties": properties]
        let required = fields.filter(\.required).map(\.name)
        if !required.isEmpty { out["required"] = required }
        return out
    }

    static func property(_ field: Field) -> [String: Any] {
        var p: [String: Any]
        // A `${VAR}` reference is allowed wherever a scalar is.
        let variable: [String: Any] = ["type": "string", "pattern": "\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}"]
        switch field.kind {
        case .string: p = ["type": "string"]
        case .integer(let bounds):
            p = ["anyOf": [["type": "integer", "minimum": bounds.lowerBound, "maximum": bounds.upperBound], variable]]
        case .decimal(let bounds, let excludingLowerBound):
            let number: [String: Any] = ["type": "number", excludingLowerBound ? "exclusiveMinimum" : "minimum": bounds.lowerBound,
                                         "maximum": bounds.upperBound]
            p = ["anyOf": [number, variable]]
        case .boolean: p = ["anyOf": [["type": "boolean"], variable]]
        case .duration: p = ["type": "string", "pattern": "^(([0-9]+(ms|s|m|h))+|.*\\$\\{.*\\}.*)$"]
        case .hostPort: p = ["type": "string", "pattern": "^(.+:[0-9]{1,5}|.*\\$\\{.*\\}.*)$"]
        case .port: p = ["anyOf": [["type": "integer", "minimum": 1, "maximum": 65535], variable]]
        case .portRange: p = ["anyOf": [["type": "string", "pattern": "^[0-9]{1,5}(-[0-9]{1,5})?$"], ["type": "integer", "minimum": 1, "maximum": 65535], variable]]
        case .stringList(let nonEmpty):
            p = ["type": "array", "items": ["type": "string"]]
            if nonEmpty { p["minItems"] = 1 }
        case .choice(let options): p = ["anyOf": [["enum": options], variable]]
        case .object(let fields): p = object(fields)
        case .objectList(let fields, let nonEmpty):
            p = ["type": "array", "items": object(fields)]
            if nonEmpty { p["minItems"] = 1 }
        }
        if field.nullable {
            p = ["anyOf": [p, ["type": "null"]]]
        }
        p["description"] = field.doc
        // A string pattern cannot say how long a duration may be; the description does.
        if case .duration(_, let longest) = field.kind {
            p["description"] = field.doc + " At most \(DurationText.format(longest))."
        }
        if let d = field.defaultValue { p["default"] = defaultJSON(d, field.kind) }
        return p
    }

    static func defaultJSON(_ text: String, _ kind: Field.Kind) -> Any {
        switch kind {
        case .integer, .port: return Int(text) ?? text
        case .decimal: return Double(text) ?? text
        case .boolean: return text == "true"
        case .stringList: return [String]()
        case .objectList: return [[String: Any]]()
        default: return text
        }
    }
}
