import Foundation
import FleetCore

/// What one health probe found.
public enum ProbeResult: Sendable, Equatable {
    /// The server answered within the timeout, on contract.
    case answered(availableCapacity: Int, readyToClose: Bool)
    /// No good answer: timeout, refused connection, an error status, a body off the contract or too
    /// large. The reason is for logs.
    case failed(String)
}

/// Asks one gameserver how it is.
public protocol HealthProber: Sendable {
    /// Probes `GET http://address.host:port/path`. Must return within about `timeout`, whatever the
    /// server does.
    func probe(host: String, port: Int, path: String, timeout: Duration) async -> ProbeResult
}

/// The gameserver health contract: `{"available_capacity": N, "ready_to_close": bool}`.
public enum HealthAnswer {
    /// Largest body accepted; a bigger one is off the contract.
    public static let maxBodyBytes = 4096

    /// Reads a body. Extra fields are allowed; missing or mistyped ones (JSONDecoder is strict:
    /// `1` is no boolean, `1.5` no whole number), a negative capacity, or a body that is not a JSON
    /// object fail with a reason.
    public static func parse(_ body: [UInt8]) -> ProbeResult {
        guard body.count <= maxBodyBytes else { return .failed("health answer larger than \(maxBodyBytes) bytes") }
        let answer: Wire
        do {
            answer = try JSONDecoder().decode(Wire.self, from: Data(body))
        } catch DecodingError.keyNotFound(let key, _) {
            return .failed("health answer has no \(key.stringValue)")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
                DecodingError.dataCorrupted(let context) {
            guard let key = context.codingPath.last?.stringValue else { return .failed("health answer is not a JSON object") }
            return .failed("health answer's \(key) has the wrong type (want \(key == "ready_to_close" ? "true or false" : "a whole number"))")
        } catch {
            return .failed("health answer is not a JSON object")
        }
        // Read as a number first: Foundation reports a fraction for an Int field without saying which key.
        let value = answer.available_capacity
        guard value == value.rounded(), value.magnitude < 1e9 else {
            return .failed("health answer's available_capacity has the wrong type (want a whole number)")
        }
        guard value >= 0 else {
            return .failed("health answer reports negative available_capacity \(Int(value))")
        }
        return .answered(availableCapacity: Int(value), readyToClose: answer.ready_to_close)
    }

    private struct Wire: Decodable {
        var available_capacity: Double
        var ready_to_close: Bool
    }
}
