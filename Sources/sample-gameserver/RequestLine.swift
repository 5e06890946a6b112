/// Matching of the HTTP request line that marks a health probe: `GET /health/ HTTP/1.x`, also
/// without the trailing slash and with any query string.
enum RequestLine {
    private static let stem = "GET /health"
    private static let version = Array(" HTTP/1.".utf8)

    /// True when `line` (without its CRLF) is a complete health request line.
    static func isHealthCheck(_ line: String) -> Bool {
        guard let rest = afterTarget(line) else { return false }
        let bytes = Array(rest.utf8)
        return bytes.count == version.count + 1 && fitsVersion(bytes)
    }

    /// True when `partial`, the start of a request line that has not ended yet, can still grow
    /// into a health request line. An empty string can.
    static func couldStartHealthCheck(_ partial: String) -> Bool {
        if partial.count <= stem.count {
            return stem.hasPrefix(partial)
        }
        guard partial.hasPrefix(stem) else { return false }
        var rest = partial.dropFirst(stem.count)
        if rest.first == "/" {
            rest = rest.dropFirst()
        }
        if rest.first == "?" {
            // Inside the query string any character may come until the space that ends it.
            guard let space = rest.firstIndex(of: " ") else { return true }
            rest = rest[space...]
        }
        guard let first = rest.first else { return true }
        return first == " " && fitsVersion(Array(rest.utf8))
    }

    /// What follows a complete request target (`/health`, `/health/`, either with `?query`),
    /// starting at the space before the version; nil when the line does not start that way.
    private static func afterTarget(_ line: String) -> Substring? {
        guard line.hasPrefix(stem) else { return nil }
        var rest = line.dropFirst(stem.count)
        if rest.first == "/" {
            rest = rest.dropFirst()
        }
        if rest.first == "?" {
            guard let space = rest.firstIndex(of: " ") else { return nil }
            rest = rest[space...]
        }
        return rest.first == " " ? rest : nil
    }

    /// True when `bytes` is a prefix of ` HTTP/1.` followed by one digit.
    private static func fitsVersion(_ bytes: [UInt8]) -> Bool {
        for (offset, byte) in bytes.enumerated() {
            if offset < version.count {
                guard byte == version[offset] else { return false }
            } else if offset == version.count {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return false }
            } else {
                return false
            }
        }
        return true
    }
}
