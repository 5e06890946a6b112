/// The text form of a report, as `gamefleet simulate` prints it.
extension SimulationReport {
    /// A compact table: one column for gamefleet, one for the old rules, then the verdict line.
    public func text() -> String {
        let t = trace, f = fleet, p = provider
        var lines: [String] = []
        lines.append("trace \(t.name): \(NumberText.grouped(t.minutes)) min, \(NumberText.grouped(t.arrivals)) players, "
            + "sessions \(NumberText.fixed(t.sessionMeanMinutes, 1))±\(NumberText.fixed(t.sessionSpreadMinutes, 1)) min, "
            + "at most \(NumberText.grouped(t.peakPlayers)) playing at once")
        lines.append("fleet \(f.name): capacity \(f.capacity), margins \(f.upscaleMargin)..\(f.downscaleMargin), "
            + "\(f.minServers)-\(f.maxServers) servers, up to \(f.maxLaunchesPerPass) launches a pass, "
            + "probes every \(NumberText.duration(f.healthIntervalSeconds)), \(f.strategy.rawValue), "
            + (f.backup.map { "backup \($0)" } ?? "no backup (players without a slot are refused)"))
        lines.append("provider: seed \(p.seed), startup \(NumberText.duration(p.startupDelaySeconds)) "
            + "±\(NumberText.duration(p.startupJitterSeconds)), \(p.failuresPerServerHour) failures per server-hour, "
            + "passes of \(NumberText.fixed(p.passDurationSeconds, 1))s, warm-up \(NumberText.duration(p.warmUpSeconds))")
        let longestStartup = p.startupDelaySeconds + p.startupJitterSeconds
        if longestStartup > f.startupGraceSeconds {
            lines.append("note: a startup can take up to \(NumberText.duration(longestStartup)), longer than startupGrace "
                + "\(NumberText.duration(f.startupGraceSeconds)): the planner stops such servers as unhealthy before they answer")
        }
        lines.append("")

        let g = gamefleet, o = oldRules
        func row(_ label: String, _ a: String, _ b: String) {
            lines.append(label.padding(toLength: 38, withPad: " ", startingAt: 0) + leftPad(a, 20) + leftPad(b, 20))
        }
        func share(_ count: Int, _ percent: Double) -> String {
            "\(NumberText.grouped(count)) (\(NumberText.percent(percent)))"
        }
        row("", "gamefleet", "old rules")
        row("server-hours (the cost)", NumberText.fixed(g.serverHours, 1), NumberText.fixed(o.serverHours, 1))
        row("  × lower bound (\(NumberText.fixed(lowerBoundServerHours, 1)) h)",
            NumberText.fixed(g.lowerBoundRatio, 2) + "×", NumberText.fixed(o.lowerBoundRatio, 2) + "×")
        row("peak servers", NumberText.grouped(g.peakServers), NumberText.grouped(o.peakServers))
        func pair(_ a: Int, _ b: Int) -> String { "\(NumberText.grouped(a)) / \(NumberText.grouped(b))" }
        row("launches / stops", pair(g.launches, g.stops), pair(o.launches, o.stops))
        row("standbys / activations", pair(g.standbys, g.activations), pair(o.standbys, o.activations))
        row("players to the fleet", NumberText.grouped(g.playersServedByFleet), NumberText.grouped(o.playersServedByFleet))
        row("players to the backup", share(g.playersSentToBackup, g.backupPercent), share(o.playersSentToBackup, o.backupPercent))
        row("  of them refused joins (stale probe)", NumberText.grouped(g.refusedJoins), NumberText.grouped(o.refusedJoins))
        row("longest under upscale margin", NumberText.duration(g.longestUnderUpscaleMarginSeconds),
            NumberText.duration(o.longestUnderUpscaleMarginSeconds))
        row("time under upscale margin", NumberText.duration(g.timeUnderUpscaleMarginSeconds),
            NumberText.duration(o.timeUnderUpscaleMarginSeconds))
        row("time over downscale margin", NumberText.duration(g.timeOverDownscaleMarginSeconds),
            NumberText.duration(o.timeOverDownscaleMarginSeconds))
        row("paid slot utilisation", NumberText.percent(g.slotUtilisationPercent), NumberText.percent(o.slotUtilisationPercent))
        row("server failures (players cut off)", "\(NumberText.grouped(g.serverFailures)) (\(NumberText.grouped(g.playersCutOffByFailures)))",
            "\(NumberText.grouped(o.serverFailures)) (\(NumberText.grouped(o.playersCutOffByFailures)))")
        row("players on stopped servers", NumberText.grouped(g.playersOnStoppedServers), NumberText.grouped(o.playersOnStoppedServers))
        lines.append("")
        if g.playersOnStoppedServers > 0 {
            lines.append("WARNING: gamefleet stopped servers with \(g.playersOnStoppedServers) player(s) on them; this must be 0")
        }
        lines.append(verdict)
        return lines.joined(separator: "\n") + "\n"
    }

    private func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}
