/// One DynamoDB attribute value in its wire form: `{"S": "text"}`, `{"N": "12"}`, `{"BOOL": true}`,
/// `{"NULL": true}`, `{"M": {…}}`, `{"L": […]}`. Binary and set types are not used by gamefleet;
/// reading one fails with a decoding error naming the type.
public indirect enum DynamoDBValue: Sendable, Equatable, Codable {
    /// A string (`S`).
    case string(String)
    /// A number (`N`), kept as the decimal text DynamoDB sends, so no precision is lost.
    case number(String)
    /// A boolean (`BOOL`).
    case bool(Bool)
    /// The null value (`NULL`).
    case null
    /// A map (`M`).
    case map([String: DynamoDBValue])
    /// A list (`L`).
    case list([DynamoDBValue])

    /// A number from an integer.
    public static func integer(_ value: Int64) -> DynamoDBValue { .number(String(value)) }

    /// The text of a string value; `nil` for any other type.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value of a number that is a whole number in `Int64`; `nil` otherwise.
    public var integerValue: Int64? {
        if case .number(let text) = self { return Int64(text) }
        return nil
    }

    private enum Key: String, CodingKey {
        case S, N, BOOL, NULL, M, L
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath,
                debugDescription: "an attribute value has exactly one of S, N, BOOL, NULL, M, L (found \(container.allKeys.map(\.stringValue)))"))
        }
        switch key {
        case .S: self = .string(try container.decode(String.self, forKey: .S))
        case .N: self = .number(try container.decode(String.self, forKey: .N))
        case .BOOL: self = .bool(try container.decode(Bool.self, forKey: .BOOL))
        case .NULL: self = .null
        case .M: self = .map(try container.decode([String: DynamoDBValue].self, forKey: .M))
        case .L: self = .list(try container.decode([DynamoDBValue].self, forKey: .L))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .string(let text): try container.encode(text, forKey: .S)
        case .number(let text): try container.encode(text, forKey: .N)
        case .bool(let value): try container.encode(value, forKey: .BOOL)
        case .null: try container.encode(true, forKey: .NULL)
        case .map(let map): try container.encode(map, forKey: .M)
        case .list(let list): try container.encode(list, forKey: .L)
        }
    }
}
