extension ObservedState {
    /// The state as it stands once these actions took effect: parked servers marked standby,
    /// activated ones active, stopped ones stopping. Launches add nothing (a new server is seen at
    /// the next observation).
    ///
    /// Published after a pass so the allocator never works from a view older than the pass's own
    /// decisions: a server parked (or being stopped) must not get new players while the next pass runs.
    public func reflecting(_ actions: [Action]) -> ObservedState {
        guard !actions.isEmpty else { return self }
        var byServer: [String: Action.Kind] = [:]
        for action in actions {
            if let id = action.server { byServer[id] = action.kind }
        }
        var copy = self
        for i in copy.servers.indices {
            switch byServer[copy.servers[i].id] {
            case .standby?: copy.servers[i].standby = true
            case .activate?: copy.servers[i].standby = false
            case .stop?: copy.servers[i].lifecycle = .stopping
            case .launch?, nil: break
            }
        }
        return copy
    }
}
