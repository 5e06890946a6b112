import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A gameserver's health endpoint on a real loopback socket, well-behaved or hostile. It reads no
/// further than the first bytes of a request: that is enough to answer (or not) the way it means to.
enum HealthBehaviour: Sendable {
    /// Answers `{"available_capacity": N, "ready_to_close": false}` and closes.
    case healthy(capacity: Int)
    /// Sends a good head announcing a 200-byte body, then one byte a second.
    case drip
    /// Accepts the connection and never writes a byte.
    case silent
    /// Answers with a 10 MB body.
    case huge
    /// Sends half a status line and headers, then closes.
    case closeMidHead
}

/// One listening server; ``stop()`` closes it and every connection it accepted.
final class HostileGameserver: Sendable {
    let behaviour: HealthBehaviour
    let channel: any Channel
    let connections: ConnectionCount
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(behaviour: HealthBehaviour, channel: any Channel, connections: ConnectionCount) {
        self.behaviour = behaviour
        self.channel = channel
        self.connections = connections
    }

    static func start(_ behaviour: HealthBehaviour, group: any EventLoopGroup) async throws -> HostileGameserver {
        let connections = ConnectionCount()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HealthHandler(behaviour: behaviour, connections: connections))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return HostileGameserver(behaviour: behaviour, channel: channel, connections: connections)
    }

    func stop() async {
        try? await channel.close()
    }
}

/// Connections open now and in all, for seeing whether the prober lets go of a hostile server.
final class ConnectionCount: Sendable {
    private let counts = NIOLockedValueBox((open: 0, total: 0))
    func opened() { counts.withLockedValue { $0.open += 1; $0.total += 1 } }
    func closed() { counts.withLockedValue { $0.open -= 1 } }
    var open: Int { counts.withLockedValue { $0.open } }
    var total: Int { counts.withLockedValue { $0.total } }
}

final class HealthHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let behaviour: HealthBehaviour
    let connections: ConnectionCount
    var answered = false

    init(behaviour: HealthBehaviour, connections: ConnectionCount) {
        self.behaviour = behaviour
        self.connections = connections
    }

    func channelActive(context: ChannelHandlerContext) {
        connections.opened()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connections.closed()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        answered = true
        let channel = context.channel
        switch behaviour {
        case .healthy(let capacity):
            let body = #"{"available_capacity": \#(capacity), "ready_to_close": false}"#
            let text = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            channel.writeAndFlush(ByteBuffer(string: text)).whenComplete { _ in channel.close(promise: nil) }
        case .drip:
            channel.writeAndFlush(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n"), promise: nil)
            for second in 1...200 {
                channel.eventLoop.scheduleTask(in: .seconds(Int64(second))) {
                    guard channel.isActive else { return }
                    channel.writeAndFlush(ByteBuffer(string: second == 1 ? "{" : " "), promise: nil)
                }
            }
        case .silent:
            break
        case .huge:
            let size = 10 * 1024 * 1024
            var buffer = channel.allocator.buffer(capacity: size + 128)
            buffer.writeString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(size)\r\n\r\n")
            buffer.writeRepeatingByte(UInt8(ascii: " "), count: size)
            channel.writeAndFlush(buffer).whenComplete { _ in channel.close(promise: nil) }
        case .closeMidHead:
            channel.writeAndFlush(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Ty")).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
