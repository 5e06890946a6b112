/// Which rules decide the simulated fleet's actions.
public enum ScalingRules: String, Sendable, Equatable, Codable, CaseIterable {
    /// gamefleet's own ``FleetCore/Planner``, the code `serve` runs.
    case gamefleet
    /// The old app's rules (``OldAppPlanner``): one action per pass, and a launch holds up the loop
    /// until the new server answers.
    case oldApp
}
