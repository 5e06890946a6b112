// Network/: addresses as values: host:port, IPv4/IPv6 and CIDR blocks, and the client address
// of a request behind trusted proxies.

/// A `host:port` address: a gameserver's game address, the backup server, or the HTTP listen address.
///
/// The host is kept as written (a name, an IPv4 address, or a bracketed IPv6 address such as `[::1]`).
public struct HostPort: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The host part, without brackets for IPv6.
    public var host: String
    /// The TCP port, 1...65535.
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` or `[v6]:port`. Returns nil when the port is missing, not a number,
    /// or outside 1...65535, or when the host is empty.
    public init?(parsing text: String) {
        var hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portPart = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            // An unbracketed host with a colon in it is an IPv6 address without brackets: ambiguous.
            if hostPart.contains(":") { return nil }
        }
        hostPart = hostPart.trimmingSpaces()
        guard !hostPart.isEmpty, hostPart.allSatisfy({ !$0.isWhitespace }),
              let port = Int(portPart), (1...65535).contains(port) else { return nil }
        self.host = String(hostPart)
        self.port = port
    }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = HostPort(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "'\(text)' is not host:port"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " { s = s.dropFirst() }
        while let l = s.last, l == " " { s = s.dropLast() }
        return s
    }
}
