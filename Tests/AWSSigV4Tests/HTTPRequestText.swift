import AWSSigV4

/// Reads and writes the HTTP/1.1 request text of the suite's `request.txt` and
/// `*-signed-request.txt` files.
///
/// The files are loose HTTP: lines end in `\n`, the request line may hold a raw space or UTF-8
/// in its path, header values keep the spacing after `:` and may continue on following lines
/// that start with whitespace (obsolete line folding), and the body follows the first blank line.
/// Writing a parsed request back gives the same bytes, which the signed-request test relies on.
enum HTTPRequestText {
    /// Why a text is not a request.
    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses `bytes` into a request whose query is kept raw, exactly as written.
    static func parse(_ bytes: [UInt8]) throws -> SignableRequest {
        let (head, body) = splitHeadFromBody(bytes)
        var lines = String(decoding: head, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        while lines.last == "" { lines.removeLast() }
        guard let requestLine = lines.first else { throw ParseError(description: "empty request text") }

        // The path may contain spaces, so only the first and last space delimit it.
        guard let firstSpace = requestLine.firstIndex(of: " "), let lastSpace = requestLine.lastIndex(of: " "),
            firstSpace < lastSpace
        else { throw ParseError(description: "malformed request line: \(requestLine)") }
        let method = String(requestLine[..<firstSpace])
        let target = requestLine[requestLine.index(after: firstSpace)..<lastSpace]

        var headers: [SignableRequest.Header] = []
        for line in lines.dropFirst() {
            if line.first == " " || line.first == "\t" {
                guard !headers.isEmpty else { throw ParseError(description: "continuation line before any header: \(line)") }
                // Keep the fold as written; the signer is the one that has to collapse it.
                headers[headers.count - 1].value += "\n" + line
            } else {
                guard let colon = line.firstIndex(of: ":") else { throw ParseError(description: "header line without ':': \(line)") }
                headers.append(.init(name: String(line[..<colon]), value: String(line[line.index(after: colon)...])))
            }
        }

        let path: String
        let query: SignableRequest.Query
        if let questionMark = target.firstIndex(of: "?") {
            path = String(target[..<questionMark])
            query = .raw(String(target[target.index(after: questionMark)...]))
        } else {
            path = String(target)
            query = .items([])
        }
        return SignableRequest(method: method, path: path, query: query, headers: headers, body: body)
    }

    /// `request` as HTTP/1.1 text in the suite's layout: `\n` line ends, `name:value` with
    /// nothing added around the colon, a blank line, then the body.
    static func render(_ request: SignableRequest) -> String {
        var text = "\(request.method) \(request.target) HTTP/1.1\n"
        for header in request.headers {
            text += "\(header.name):\(header.value)\n"
        }
        text += "\n"
        text += String(decoding: request.body, as: UTF8.self)
        return text
    }

    /// The bytes before the first blank line, and those after it (empty when there is none).
    private static func splitHeadFromBody(_ bytes: [UInt8]) -> (head: ArraySlice<UInt8>, body: [UInt8]) {
        let newline = UInt8(ascii: "\n")
        var index = 0
        while index < bytes.count {
            if bytes[index] == newline {
                var next = index + 1
                if next < bytes.count, bytes[next] == UInt8(ascii: "\r") { next += 1 }
                if next < bytes.count, bytes[next] == newline {
                    return (bytes[..<index], Array(bytes[(next + 1)...]))
                }
            }
            index += 1
        }
        return (bytes[...], [])
    }
}
