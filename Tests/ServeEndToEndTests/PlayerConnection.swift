import Glibc

/// A player: one TCP connection to a gameserver, held open and silent until ``close()``. The
/// gameserver counts it as a player for as long as it is open.
final class PlayerConnection {
    private var fd: Int32
    let port: Int

    struct Refused: Error, CustomStringConvertible {
        var address: String
        var description: String { "cannot connect a player to \(address)" }
    }

    init(address: String) throws {
        guard let port = Loopback.port(of: address), let fd = Loopback.connect(port: port) else {
            throw Refused(address: address)
        }
        self.fd = fd
        self.port = port
    }

    deinit { close() }

    /// Leaves the game; calling it again does nothing.
    func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }
}
