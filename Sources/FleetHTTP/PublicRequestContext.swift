import FleetCore
import Hummingbird
import NIOCore

/// The public face's request context: Hummingbird's basic one plus the socket's peer address, which
/// the per-client rate limit counts against (or, behind a trusted proxy, `X-Forwarded-For`).
public struct PublicRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The peer as an ``IPAddress``; nil when unknown (a test channel) or not IP (a Unix socket).
    public var peerAddress: IPAddress? {
        remoteAddress?.ipAddress.flatMap { IPAddress(parsing: $0) }
    }
}
