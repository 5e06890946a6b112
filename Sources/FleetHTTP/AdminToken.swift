import Foundation

/// The admin face's bearer token (`admin.token` / `admin.tokenFile`).
///
/// A request is let in with `Authorization: Bearer TOKEN`, or with HTTP Basic credentials whose
/// password is the token (any user name): that is what a browser sends after its login prompt, so
/// the status page works without a client of its own. The comparison takes the same time whatever
/// the first difference is, so a caller cannot learn the token byte by byte from timings.
public struct AdminToken: Sendable {
    let token: [UInt8]

    /// Nil for an empty token (which would let anyone in).
    public init?(_ token: String) {
        let bytes = Array(token.utf8)
        guard !bytes.isEmpty else { return nil }
        self.token = bytes
    }

    /// True when the `Authorization` header value carries the token.
    public func admits(authorization: String?) -> Bool {
        guard let authorization else { return false }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else { return false }
        let scheme = parts[0].lowercased()
        let credential = parts[1].trimmingCharacters(in: .whitespaces)
        if scheme == "bearer" {
            return Self.constantTimeEqual(Array(credential.utf8), token)
        }
        if scheme == "basic", let data = Data(base64Encoded: credential),
           let colon = data.firstIndex(of: UInt8(ascii: ":")) {
            return Self.constantTimeEqual(Array(data[data.index(after: colon)...]), token)
        }
        return false
    }

    /// Equal bytes, in time that depends on the lengths only.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
