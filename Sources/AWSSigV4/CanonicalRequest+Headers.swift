extension CanonicalRequest {
    /// The signed headers of `headers` under `options`, as (lower-case name, canonical value)
    /// pairs sorted by name.
    static func canonicalHeaderList(
        _ headers: [SignableRequest.Header],
        options: SigningOptions
    ) -> [(name: String, value: String)] {
        var leftOut = options.unsignedHeaderNames
        if !options.signsSessionToken {
            leftOut.insert(SigV4Signer.HeaderName.securityToken.lowercased())
        }
        // Host must be signed whatever the options say: AWS rejects a signature without it.
        leftOut.remove("host")
        return canonicalHeaderList(headers, leavingOut: leftOut)
    }

    /// The signed headers as (lower-case name, canonical value) pairs sorted by name, one pair per
    /// distinct name, leaving out the lower-case names in `leftOut`.
    static func canonicalHeaderList(
        _ headers: [SignableRequest.Header],
        leavingOut leftOut: Set<String>
    ) -> [(name: String, value: String)] {
        var valuesByName: [String: [String]] = [:]
        for header in headers {
            let name = header.name.trimmingWhitespace().lowercased()
            guard !leftOut.contains(name) else { continue }
            // Appending keeps duplicates in sending order, which the joined value must preserve.
            valuesByName[name, default: []].append(canonicalValue(header.value))
        }
        return valuesByName
            .map { (name: $0.key, value: $0.value.joined(separator: ",")) }
            .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// `value` trimmed, with each run of spaces, tabs and line breaks inside it made one space.
    /// Line breaks count because a folded (multi-line) header value is one value on the wire.
    static func canonicalValue(_ value: String) -> String {
        value.split(whereSeparator: \.isSigV4Whitespace).joined(separator: " ")
    }
}

extension Character {
    /// Whitespace that header canonicalisation trims and collapses.
    fileprivate var isSigV4Whitespace: Bool {
        self == " " || self == "\t" || self == "\n" || self == "\r" || self == "\r\n"
    }
}

extension String {
    /// The string without leading or trailing whitespace.
    fileprivate func trimmingWhitespace() -> String {
        String(drop(while: \.isSigV4Whitespace).reversed().drop(while: \.isSigV4Whitespace).reversed())
    }
}
