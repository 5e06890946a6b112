/// How gamefleet marks what it owns in ECS and EC2, so that it finds its own tasks and hosts
/// again (after a restart too) and never touches anyone else's.
///
/// - Every task of fleet `NAME` is started with ``startedBy(fleet:)`` (`gamefleet-NAME`), which
///   ListTasks filters on: two fleets in one cluster, or tasks started by people or services,
///   never appear in each other's listing.
/// - Every task and host carries the tags ``fleetTag`` = `NAME` and ``managedByTag`` =
///   ``managedByValue``, for people and billing reports.
/// - A parked gameserver carries ``standbyTag`` = `true`; activating it removes the tag. ECS keeps
///   the tag, so a restarted gamefleet knows who is parked without any state of its own.
public enum FleetLabels {
    /// ECS's limit on `startedBy`.
    public static let startedByLimit = 36
    /// The tag naming the fleet a task or host belongs to.
    public static let fleetTag = "gamefleet:fleet"
    /// The tag saying which tool manages a resource.
    public static let managedByTag = "managed-by"
    /// The value of ``managedByTag``.
    public static let managedByValue = "gamefleet"
    /// The tag on a parked (standby) gameserver's task; its value is `true`.
    public static let standbyTag = "gamefleet:standby"
    /// ECS's limit on a StopTask reason, in characters.
    public static let stopReasonLimit = 255

    /// The `startedBy` value of fleet `name`: `gamefleet-NAME`, or `gf-NAME` when that would pass
    /// ECS's 36 characters (fleet names are at most 32, which `gf-` always fits).
    ///
    /// The two forms cannot collide (one starts with `ga`, the other with `gf`), so different
    /// fleet names always give different values. Characters ECS refuses in `startedBy` (anything
    /// but letters, digits, `-`, `_` and `/`) become `_`; the loader already refuses such names,
    /// so this only matters for specs built in code. A name too long even for `gf-` is cut.
    public static func startedBy(fleet name: String) -> String {
        let safe = String(name.map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_" || character == "/") ? character : "_"
        })
        let long = "gamefleet-" + safe
        if long.count <= startedByLimit { return long }
        return String(("gf-" + safe).prefix(startedByLimit))
    }

    /// The tags a new task (or host) of fleet `name` is created with.
    public static func launchTags(fleet name: String) -> [(key: String, value: String)] {
        [(fleetTag, name), (managedByTag, managedByValue)]
    }

    /// The reason given to StopTask for an action whose reason is `reason`: `gamefleet: REASON`,
    /// cut to ECS's 255 characters (ending in `…` when cut).
    public static func stopReason(_ reason: String) -> String {
        let full = "gamefleet: " + reason
        guard full.count > stopReasonLimit else { return full }
        return String(full.prefix(stopReasonLimit - 1)) + "…"
    }
}
