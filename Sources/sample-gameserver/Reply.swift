/// The only two answers the gameserver ever writes: the health report and the WebSocket handshake.
enum Reply {
    /// The fixed GUID that RFC 6455 section 1.3 appends to the client's key before hashing.
    static let webSocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// The JSON body of a health answer. `freeSlots` is `capacity - players` clamped at zero, so a
    /// server over capacity reports 0 rather than a negative number; `readyToClose` is true only
    /// when no player is connected, whatever the capacity (a capacity of 0 with no players is
    /// ready to close and has no free slots).
    static func healthBody(capacity: Int, players: Int) -> String {
        let freeSlots = max(0, capacity - players)
        let readyToClose = players == 0
        return #"{"available_capacity": \#(freeSlots), "ready_to_close": \#(readyToClose)}"#
    }

    /// A complete `200 OK` answer to a health probe, closing the connection afterwards.
    static func health(capacity: Int, players: Int) -> [UInt8] {
        let body = healthBody(capacity: capacity, players: players)
        let head = "HTTP/1.1 200 OK\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\n"
            + "Connection: close\r\n"
            + "\r\n"
        return Array((head + body).utf8)
    }

    /// The `Sec-WebSocket-Accept` value for a client's `Sec-WebSocket-Key`: base64 of the SHA-1 of
    /// the key (as sent, not decoded) followed by the GUID.
    static func webSocketAccept(forKey key: String) -> String {
        Base64.encode(SHA1.digest(Array((key + webSocketGUID).utf8)))
    }

    /// The `101 Switching Protocols` answer that completes a WebSocket handshake.
    static func switchingProtocols(webSocketKey key: String) -> [UInt8] {
        let head = "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: \(webSocketAccept(forKey: key))\r\n"
            + "\r\n"
        return Array(head.utf8)
    }
}
