/// What a connection turned out to be, judged from the first bytes it sent.
///
/// Every connection is a player until its opening bytes say otherwise, so the only things looked
/// for are an HTTP health probe (`GET /health/`) and a WebSocket upgrade, which needs an answer
/// before the client will go on. Anything else, HTTP or not, is a player whose bytes are ignored.
enum Greeting: Equatable, Sendable {
    /// The request head has not ended yet. `mayBeHealthProbe` is true when everything so far fits a
    /// health request line: such a connection gets the probe's idle timeout. When false, the bytes
    /// so far could still be a WebSocket upgrade.
    case incomplete(mayBeHealthProbe: Bool)
    /// A complete `GET /health` request head: answer with the health report and close.
    case healthProbe
    /// A complete WebSocket upgrade request: answer 101 and keep the connection as a player.
    case webSocketUpgrade(key: String)
    /// A player; its bytes, now and later, are read and dropped.
    case player
    /// A health request line whose head grew past `headLimit` without ending: close it unanswered,
    /// since nothing that size is a real probe and keeping it would let one client hold memory.
    case oversizedProbe

    /// Longest request head, in bytes including the blank line, that is buffered to classify a
    /// connection. Past it a connection is judged on what it has sent.
    static let headLimit = 8 * 1024

    /// Classifies a connection from all the bytes it has sent so far. Pure: the caller calls it
    /// again with the longer buffer after each read while the answer is `.incomplete`.
    /// An empty buffer is `.incomplete(mayBeHealthProbe: true)`; a connection that never sends
    /// anything is still counted as a player by the caller.
    static func classify(_ bytes: [UInt8]) -> Greeting {
        let window = bytes.prefix(headLimit)
        if let headEnd = window.firstIndex(ofSequence: blankLine) {
            return classifyHead(String(decoding: window[..<headEnd], as: UTF8.self))
        }

        let lineEnd = window.firstIndex(ofSequence: lineBreak)
        var firstLine = String(decoding: window[..<(lineEnd ?? window.endIndex)], as: UTF8.self)
        if lineEnd == nil, firstLine.hasSuffix("\r") {
            // The CR of the line break came in without its LF; judge the line without it.
            firstLine.removeLast()
        }
        let mayBeHealthProbe = lineEnd == nil
            ? RequestLine.couldStartHealthCheck(firstLine)
            : RequestLine.isHealthCheck(firstLine)
        if bytes.count >= headLimit {
            return mayBeHealthProbe ? .oversizedProbe : .player
        }
        if mayBeHealthProbe {
            return .incomplete(mayBeHealthProbe: true)
        }
        // Only a GET can ask for a WebSocket upgrade, so only a GET is worth buffering further.
        let mayBeUpgrade = lineEnd == nil
            ? (firstLine.hasPrefix("GET ") || "GET ".hasPrefix(firstLine))
            : firstLine.hasPrefix("GET ")
        return mayBeUpgrade ? .incomplete(mayBeHealthProbe: false) : .player
    }

    private static let blankLine: [UInt8] = Array("\r\n\r\n".utf8)
    private static let lineBreak: [UInt8] = Array("\r\n".utf8)

    /// Classifies a complete request head (request line and header lines, without the blank line).
    private static func classifyHead(_ head: String) -> Greeting {
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let requestLine = String(lines.first ?? "")
        if RequestLine.isHealthCheck(requestLine) {
            return .healthProbe
        }
        guard requestLine.hasPrefix("GET ") else {
            return .player
        }

        var upgradesToWebSocket = false
        var key: String?
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingSpaces().lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces()
            switch name {
            case "upgrade":
                // The header is a list of protocols; websocket may be one of several.
                upgradesToWebSocket = upgradesToWebSocket || value.split(separator: ",").contains {
                    $0.trimmingSpaces().lowercased() == "websocket"
                }
            case "sec-websocket-key" where !value.isEmpty:
                key = value
            default:
                break
            }
        }
        if upgradesToWebSocket, let key {
            return .webSocketUpgrade(key: key)
        }
        return .player
    }
}

extension Collection where Element: Equatable {
    /// The index where `needle` first starts in this collection, or nil; an empty needle is never found.
    fileprivate func firstIndex(ofSequence needle: [Element]) -> Index? {
        guard !needle.isEmpty else { return nil }
        var start = startIndex
        while start != endIndex {
            if self[start...].starts(with: needle) {
                return start
            }
            start = index(after: start)
        }
        return nil
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace).
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}
