/// Which address a request is counted against (for the allocation rate limit).
///
/// The socket's peer address, unless the peer is a trusted proxy (a load balancer in front of
/// gamefleet): then `X-Forwarded-For` is read from its right end, skipping trusted proxies, and the
/// first address that is not one is the client. Entries to its left were written by the client
/// itself and could be anything, so they are never used. A malformed entry stops the walk at the
/// last trusted hop, which is then counted as the client (a proxy that sends garbage is limited as
/// one client, never bypassed).
public enum ClientAddress {
    /// - Parameters:
    ///   - peer: the socket's remote address; nil when unknown (counted as one shared client, "unknown").
    ///   - forwardedFor: every `X-Forwarded-For` header value, in the order received.
    ///   - trusted: the `allocation.trustedProxies` blocks.
    public static func resolve(peer: IPAddress?, forwardedFor: [String], trusted: [CIDRBlock]) -> String {
        guard let peer else { return "unknown" }
        guard !trusted.isEmpty, isTrusted(peer, trusted), !forwardedFor.isEmpty else { return peer.description }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingSpacesAndTabs() }
        var client = peer
        for hop in hops.reversed() {
            guard let address = IPAddress(parsing: hop) else { break }
            client = address
            if !isTrusted(address, trusted) { break }
        }
        return client.description
    }

    static func isTrusted(_ address: IPAddress, _ trusted: [CIDRBlock]) -> Bool {
        trusted.contains { $0.contains(address) }
    }
}

extension Substring {
    func trimmingSpacesAndTabs() -> Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return s
    }
}
