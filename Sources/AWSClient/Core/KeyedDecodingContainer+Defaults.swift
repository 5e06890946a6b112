extension KeyedDecodingContainer {
    /// The list under `key`, or an empty one when the key is absent or `null`: AWS leaves out
    /// empty lists, and callers should not have to tell "none" from "not sent".
    func list<Element: Decodable>(_ key: Key) throws -> [Element] {
        try decodeIfPresent([Element].self, forKey: key) ?? []
    }
}
