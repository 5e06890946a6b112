/// The text form of a report, as `gamefleet simulate` prints it.
extension SimulationReport {
    /// A compact table: one column for gamefleet under fleet.yaml's policy, one under the other
    /// policy, one for the old rules, then the verdict line.
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
        lines.append("policy \(f.policy.rawValue) (demand: headroom \(f.headroomPercent)%, safety \(NumberText.decimal(f.safety)), half-life \(NumberText.duration(f.halfLifeSeconds)))"
            + (f.schedule.isEmpty ? "" : "; schedule " + f.schedule.joined(separator: ", ")))
        lines.append("provider: seed \(p.seed), startup \(NumberText.duration(p.startupDelaySeconds)) "
            + "±\(NumberText.duration(p.startupJitterSeconds)), \(p.failuresPerServerHour) failures per server-hour, "
            + "passes of \(NumberText.fixed(p.passDurationSeconds, 1))s, warm-up \(NumberText.duration(p.warmUpSeconds))")
        let longestStartup = p.startupDelaySeconds + p.startupJitterSeconds
        if longestStartup > f.startupGraceSeconds {
            lines.append("note: a startup can take up to \(NumberText.duration(longestStartup)), longer than startupGrace "
                + "\(NumberText.duration(f.startupGraceSeconds)): the planner stops such servers as unhealthy before they answer")
        }
        lines.append("")

        let g = gamefleet, m = otherPolicy, o = oldRules
        func row(_ label: String, _ a: String, _ c: String, _ b: String) {
            lines.append(label.padding(toLength: 38, withPad: " ", startingAt: 0) + leftPad(a, 20) + leftPad(c, 20) + leftPad(b, 20))
        }
        func share(_ count: Int, _ percent: Double) -> String {
            "\(NumberText.grouped(count)) (\(NumberText.percent(percent)))"
        }
        func each(_ label: String, _ figure: (FleetOutcome) -> String) {
            row(label, figure(g), figure(m), figure(o))
        }
        row("", "gamefleet, \(fleet.policy.rawValue)", "\((m.policy ?? .margin).rawValue) policy", "old rules")
        each("server-hours (the cost)") { NumberText.fixed($0.serverHours, 1) }
        each("  × lower bound (\(NumberText.fixed(lowerBoundServerHours, 1)) h)") { NumberText.fixed($0.lowerBoundRatio, 2) + "×" }
        each("peak servers") { NumberText.grouped($0.peakServers) }
        func pair(_ a: Int, _ b: Int) -> String { "\(NumberText.grouped(a)) / \(NumberText.grouped(b))" }
        each("launches / stops") { pair($0.launches, $0.stops) }
        each("standbys / activations") { pair($0.standbys, $0.activations) }
        each("players to the fleet") { NumberText.grouped($0.playersServedByFleet) }
        each("players to the backup") { share($0.playersSentToBackup, $0.backupPercent) }
        each("  of them refused joins (stale probe)") { NumberText.grouped($0.refusedJoins) }
        each("longest under upscale margin") { NumberText.duration($0.longestUnderUpscaleMarginSeconds) }
        each("time under upscale margin") { NumberText.duration($0.timeUnderUpscaleMarginSeconds) }
        each("time over downscale margin") { NumberText.duration($0.timeOverDownscaleMarginSeconds) }
        each("paid slot utilisation") { NumberText.percent($0.slotUtilisationPercent) }
        each("server failures (players cut off)") { "\(NumberText.grouped($0.serverFailures)) (\(NumberText.grouped($0.playersCutOffByFailures)))" }
        each("players on stopped servers") { NumberText.grouped($0.playersOnStoppedServers) }
        if !bursts.isEmpty {
            let first = bursts.prefix(2).map { "minute \($0.minute) \(NumberText.percent($0.backupPercent))" }.joined(separator: ", ")
            var line = "bursts in the trace: \(bursts.count); to the backup (gamefleet, \(fleet.policy.rawValue)): \(first)"
            if let later = BurstOutcome.share(of: bursts, after: 2), let worst = bursts.dropFirst(2).max(by: { $0.backupPercent < $1.backupPercent }) {
                line += "; the \(bursts.count - 2) after them \(NumberText.percent(later)) (worst: minute \(worst.minute) \(NumberText.percent(worst.backupPercent)))"
            }
            lines.append(line)
        }
        if let money {
            lines.append("")
            lines += money.lines(policy: fleet.policy, otherPolicy: m.policy ?? .margin, traceMinutes: t.minutes,
                                 backup: (g.backupPercent, m.backupPercent, o.backupPercent))
        }
        lines.append("")
        for run in [g, m] where run.playersOnStoppedServers > 0 {
            lines.append("WARNING: gamefleet (\((run.policy ?? .margin).rawValue)) stopped servers with \(run.playersOnStoppedServers) player(s) on them; this must be 0")
        }
        lines.append(verdict)
        return lines.joined(separator: "\n") + "\n"
    }

    private func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}
