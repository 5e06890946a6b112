/// Replaces `${VAR}` and `${VAR:-default}` in a value with the environment's values. `$${` writes a
/// literal `${`.
enum EnvironmentSubstitution {
    enum Failure: Error, Equatable {
        /// `${VAR}` with VAR unset and no default.
        case unset(String)
        /// A `${` with no closing brace, or an empty or malformed name.
        case malformed(String)
    }

    /// True when the text holds something to substitute.
    static func mentionsVariable(_ text: String) -> Bool { text.contains("${") }

    static func substitute(_ text: String, environment: [String: String]) -> Result<String, Failure> {
        var used: [(variable: String, value: String)] = []
        return substitute(text, environment: environment, used: &used)
    }

    /// The same, also reporting each variable whose value went into the result (defaults are the
    /// file's own text and are not reported).
    static func substitute(_ text: String, environment: [String: String], used: inout [(variable: String, value: String)]) -> Result<String, Failure> {
        guard text.contains("${") else { return .success(text) }
        var out = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            let after = rest[dollar...]
            if after.hasPrefix("$${") {
                out += "${"
                rest = after.dropFirst(3)
                continue
            }
            guard after.hasPrefix("${") else {
                out += "$"
                rest = after.dropFirst()
                continue
            }
            let body = after.dropFirst(2)
            guard let close = body.firstIndex(of: "}") else { return .failure(.malformed(String(after))) }
            let inner = body[..<close]
            let name: Substring
            var fallback: Substring?
            if let sep = inner.range(of: ":-") {
                name = inner[..<sep.lowerBound]
                fallback = inner[sep.upperBound...]
            } else {
                name = inner
            }
            guard let first = name.first, first == "_" || first.isLetter,
                  name.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }), name.allSatisfy(\.isASCII) else {
                return .failure(.malformed("${\(inner)}"))
            }
            if let value = environment[String(name)], !(value.isEmpty && fallback != nil) {
                out += value
                used.append((String(name), value))
            } else if let fallback {
                out += fallback
            } else {
                return .failure(.unset(String(name)))
            }
            rest = body[body.index(after: close)...]
        }
        out += rest
        return .success(out)
    }
}
