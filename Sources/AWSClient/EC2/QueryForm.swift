/// The body of a query-protocol request: `Action=…&Version=…` and the parameters, each name
/// and value percent-encoded (everything but `A–Z a–z 0–9 - _ . ~`), in the order added.
struct QueryForm: Sendable, Equatable {
    /// The fields in order, decoded.
    private(set) var fields: [(name: String, value: String)]

    /// A form for `action` of API `version`.
    init(action: String, version: String) {
        fields = [("Action", action), ("Version", version)]
    }

    /// Adds one parameter.
    mutating func add(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    /// Adds one parameter when `value` is not `nil`.
    mutating func add(_ name: String, _ value: String?) {
        if let value { add(name, value) }
    }

    /// Adds a list the query way: `prefix.1`, `prefix.2`, … (numbered from 1).
    mutating func add(list prefix: String, _ values: [String]) {
        for (index, value) in values.enumerated() {
            add("\(prefix).\(index + 1)", value)
        }
    }

    /// The form as the request body.
    var encoded: String {
        fields.map { Self.encode($0.name) + "=" + Self.encode($0.value) }.joined(separator: "&")
    }

    static func == (left: QueryForm, right: QueryForm) -> Bool {
        left.fields.map(\.name) == right.fields.map(\.name) && left.fields.map(\.value) == right.fields.map(\.value)
    }

    /// `text` percent-encoded, keeping only RFC 3986 unreserved characters.
    static func encode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                UInt8(ascii: "."), UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
