/// One accepted TCP connection and what the server knows about it so far.
struct Connection: Sendable {
    /// What the connection is to the server, which decides whether it counts as a player.
    enum Role: Equatable, Sendable {
        /// Its request head (if any) is still coming in. It counts as a player meanwhile, because
        /// every connection is a player until it shows otherwise. `mayBeHealthProbe` as in
        /// `Greeting.incomplete`.
        case greeting(mayBeHealthProbe: Bool)
        /// A player: counted until it closes; what it sends is dropped.
        case player
        /// A health probe that has its answer: not counted. Once the answer is written the server
        /// shuts its side down and drains the socket until the client closes or `closeBy` passes,
        /// so that bytes left unread do not make the kernel reset the connection and lose the answer.
        case answeredProbe(closeBy: ContinuousClock.Instant)
    }

    /// The connection's socket, non-blocking.
    let fileDescriptor: Int32
    /// What the connection is, as far as the server knows.
    var role: Role = .greeting(mayBeHealthProbe: true)
    /// Bytes received while the role is `.greeting`, up to `Greeting.headLimit` and one read more.
    var received: [UInt8] = []
    /// Bytes of an answer not yet accepted by the kernel.
    var unsent: [UInt8] = []
    /// Whether the server has already shut down its sending side (after an answer to a probe).
    var sendingClosed = false
    /// When the client last sent bytes; for the idle timeout of a half-sent health request.
    var lastHeard: ContinuousClock.Instant

    /// True while the connection holds a player slot: everything but a probe that got its answer.
    var countsAsPlayer: Bool {
        if case .answeredProbe = role { false } else { true }
    }
}
