import Foundation

/// The JSON body of a health answer, decoded the way gamefleet's prober reads it.
struct HealthReport: Decodable, Equatable, Sendable, CustomStringConvertible {
    var availableCapacity: Int
    var readyToClose: Bool

    enum CodingKeys: String, CodingKey {
        case availableCapacity = "available_capacity"
        case readyToClose = "ready_to_close"
    }

    var description: String {
        "available_capacity \(availableCapacity), ready_to_close \(readyToClose)"
    }

    /// Splits a full HTTP response into its head (without the blank line) and body.
    static func split(_ response: String) throws -> (head: String, body: String) {
        guard let blank = response.range(of: "\r\n\r\n") else {
            throw TestFailure("no blank line after the head in: \(response)")
        }
        return (String(response[..<blank.lowerBound]), String(response[blank.upperBound...]))
    }

    /// Decodes the body of a `200 OK` response; throws on any other status or a body that is not the report.
    static func parse(_ response: String) throws -> HealthReport {
        let (head, body) = try split(response)
        guard head.hasPrefix("HTTP/1.1 200 ") else {
            throw TestFailure("health answer is not 200 OK: \(response)")
        }
        return try JSONDecoder().decode(HealthReport.self, from: Data(body.utf8))
    }

    /// Sends one `GET path` on a fresh connection and decodes the answer.
    static func fetch(port: UInt16, path: String = "/health/") throws -> HealthReport {
        let client = try TCPClient(port: port)
        defer { client.close() }
        try client.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: application/json\r\n\r\n")
        return try parse(client.readToEnd())
    }

    /// Fetches reports until one equals `expected` or `limit` passes, and returns the last one, so
    /// the caller's `#expect` shows what the server said when it did not converge. The server only
    /// notices a close on its next poll turn, hence the retries.
    static func eventually(port: UInt16, equals expected: HealthReport, within limit: Duration = .seconds(60)) async throws -> HealthReport {
        let deadline = ContinuousClock.now + limit
        while true {
            let report = try fetch(port: port)
            if report == expected || ContinuousClock.now >= deadline {
                return report
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
