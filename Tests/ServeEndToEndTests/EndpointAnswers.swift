/// The small JSON answers the tests read, as a client sees them.

/// `GET /available-gameserver/`'s answer when it is 200.
struct AllocationAnswer: Decodable {
    var available: String
    var server_id: String?
    var backup: Bool
}

/// `GET /available-gameserver-list/`.
struct ServerListAnswer: Decodable {
    var server_list: [String]
}

/// A gameserver's `GET /health/` answer.
struct HealthAnswer: Decodable {
    var available_capacity: Int
    var ready_to_close: Bool
}
