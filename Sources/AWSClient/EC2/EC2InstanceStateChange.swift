/// How an instance's state moved, as TerminateInstances reports it.
public struct EC2InstanceStateChange: Sendable, Hashable, Codable {
    /// The instance.
    public var instanceID: String
    /// The state before the call, e.g. `running`.
    public var previousState: String?
    /// The state now, e.g. `shutting-down`.
    public var currentState: String?

    /// Creates a record.
    public init(instanceID: String, previousState: String? = nil, currentState: String? = nil) {
        self.instanceID = instanceID
        self.previousState = previousState
        self.currentState = currentState
    }
}
