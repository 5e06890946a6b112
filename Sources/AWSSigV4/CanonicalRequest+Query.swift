extension CanonicalRequest {
    /// The canonical query string for `query`: every pair percent-encoded, then sorted by
    /// encoded name and, for equal names, by encoded value, comparing bytes (so upper case sorts
    /// before lower case and `%` before letters). A parameter without `=` signs as `name=`.
    static func canonicalQuery(_ query: SignableRequest.Query) -> String {
        let pairs: [(name: String, value: String)]
        switch query {
        case .items(let items):
            pairs = items.map { (URIEncoding.encode($0.name.utf8), URIEncoding.encode($0.value.utf8)) }
        case .raw(let text):
            pairs = text.utf8
                .split(separator: UInt8(ascii: "&"))
                .map { field in
                    let name = field.prefix { $0 != UInt8(ascii: "=") }
                    let value = field.dropFirst(name.count + 1)
                    return (URIEncoding.encode(URIEncoding.decode(name)), URIEncoding.encode(URIEncoding.decode(value)))
                }
        }
        return pairs
            .sorted { left, right in
                left.name == right.name
                    ? left.value.utf8.lexicographicallyPrecedes(right.value.utf8)
                    : left.name.utf8.lexicographicallyPrecedes(right.name.utf8)
            }
            .map { "\($0.name)=\($0.value)" }
            .joined(separator: "&")
    }
}
