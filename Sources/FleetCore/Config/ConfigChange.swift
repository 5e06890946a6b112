/// One key of fleet.yaml that differs between the running config and a proposed one, as written in
/// the two files: a `${VAR}` reference stays a reference, so a comparison never shows a secret.
///
/// Keys are dotted paths (`scaling.upscaleMargin`), with an index for an item of a list of
/// mappings (`scaling.schedule[0].cron`); a list of plain values is one key (`ecs.subnets`).
public struct ConfigChange: Sendable, Equatable, Codable {
    /// The key's path, e.g. `scaling.upscaleMargin`.
    public var key: String
    /// Its value in the running config as written (flow style for a list); nil when not set there.
    public var running: String?
    /// Its value in the proposed config; nil when the proposal removes it.
    public var proposed: String?

    public init(key: String, running: String?, proposed: String?) {
        self.key = key
        self.running = running
        self.proposed = proposed
    }
}
