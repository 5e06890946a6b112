import Foundation

/// The traces shipped in `examples/traces/`, made by formula so they can be rebuilt and checked.
///
/// Each minute's arrivals are a Poisson draw (from a fixed seed) around `players wanted ÷ mean
/// session`, which by Little's law keeps about the wanted number of players in a game. A test checks
/// that the files in `examples/traces/` are exactly what these functions produce.
public enum SyntheticTraces {
    /// A 24-hour day of a chess site: quiet at night (about 15% of the peak around 05:00), a lunch
    /// bump, and the peak in the evening around 20:30. Sessions 12 ± 6 minutes.
    public static func day(peakPlayers: Int = 2_000) -> Trace {
        let session = SessionLength(meanSeconds: 12 * 60, spreadSeconds: 6 * 60)
        var random = SimulationRandom(seed: 20_260_105, stream: 0)
        let arrivals = (0..<1440).map { minute in
            poisson(Double(peakPlayers) * dayShape(Double(minute) / 60) / 12, &random)
        }
        return Trace(name: "day", arrivals: arrivals, session: session)
    }

    /// A blitz tournament: a site at about 500 players, then at minute 60 a tournament of 3,000
    /// players starts, all arriving within that minute, with a new round every 12 minutes for seven
    /// rounds (a few players drop out each round). Four hours; sessions 10 ± 3 minutes.
    public static func tournament() -> Trace {
        let session = SessionLength(meanSeconds: 10 * 60, spreadSeconds: 3 * 60)
        var random = SimulationRandom(seed: 20_260_106, stream: 0)
        var arrivals = (0..<240).map { _ in poisson(500.0 / 10, &random) }
        var entrants = 3_000.0
        for round in 0..<7 {
            arrivals[60 + 12 * round] += Int(entrants.rounded())
            entrants *= 0.96
        }
        return Trace(name: "tournament", arrivals: arrivals, session: session)
    }

    /// A week, Monday to Sunday: the day's shape each day, weekdays peaking at 80% of `peakPlayers`
    /// and the weekend at the full peak. Sessions 12 ± 6 minutes. With the default this is the
    /// benchmark's trace: peaks of 10,000 players in a game at once.
    public static func week(peakPlayers: Int = 10_000) -> Trace {
        let session = SessionLength(meanSeconds: 12 * 60, spreadSeconds: 6 * 60)
        var random = SimulationRandom(seed: 20_260_107, stream: 0)
        let arrivals = (0..<7 * 1440).map { minute in
            let weekend = minute / 1440 >= 5
            let peak = Double(peakPlayers) * (weekend ? 1.0 : 0.8)
            return poisson(peak * dayShape(Double(minute % 1440) / 60) / 12, &random)
        }
        return Trace(name: "week", arrivals: arrivals, session: session)
    }

    /// A day of bullet chess: games of 3 ± 2 minutes, so players come back many times an hour and
    /// arrivals run about four times as fast as on `day` for the same players. The peak is at midday
    /// (about 1,500 in a game near 13:00), a smaller evening bump near 20:00, about 10% of the peak
    /// at night. Arrivals are Poisson per minute, and a player's games come in streaks: each minute's
    /// rate is scaled by a slow random wander of ±15% (an AR(1) walk over minutes), so the load is
    /// lumpier than a smooth curve.
    public static func bullet(peakPlayers: Int = 1_500) -> Trace {
        let session = SessionLength(meanSeconds: 3 * 60, spreadSeconds: 2 * 60)
        var random = SimulationRandom(seed: 20_260_108, stream: 0)
        var wander = 0.0
        let arrivals = (0..<1440).map { minute -> Int in
            let hour = Double(minute) / 60
            wander = 0.95 * wander + 0.05 * random.normal()
            let shape = 0.1 + 0.9 * min(1, bump(hour, 13, 2.5) + 0.55 * bump(hour, 20, 2))
            return poisson(Double(peakPlayers) * shape * max(0.5, 1 + wander) / 3, &random)
        }
        return Trace(name: "bullet", arrivals: arrivals, session: session)
    }

    /// A flash crowd: a quiet evening (about 300 players in a game), then at minute 90 a streamer
    /// sends a crowd: about 3,500 players within five minutes (10%, 25%, 30%, 20%, 15% of them per
    /// minute), and afterwards more keep trickling in at a rate that halves every 20 minutes. Four
    /// hours; games of 12 ± 6 minutes.
    public static func flashCrowd() -> Trace {
        let session = SessionLength(meanSeconds: 12 * 60, spreadSeconds: 6 * 60)
        var random = SimulationRandom(seed: 20_260_109, stream: 0)
        let crowd = 3_500.0
        let shares = [0.10, 0.25, 0.30, 0.20, 0.15]
        let arrivals = (0..<240).map { minute -> Int in
            var mean = 300.0 / 12
            if (90..<95).contains(minute) {
                mean += crowd * shares[minute - 90]
            } else if minute >= 95 {
                // The crowd's stragglers: 40 a minute at first, halving every 20 minutes.
                mean += 40 * exp2(-Double(minute - 95) / 20)
            }
            return poisson(mean, &random)
        }
        return Trace(name: "flash-crowd", arrivals: arrivals, session: session)
    }

    /// Periodic arenas: about 400 players in a game around the clock of six hours, and every 30
    /// minutes an arena starts, with a few hundred players (300 to 700, drawn per arena) joining
    /// within its first minute. Arena games are short: 5 ± 2 minutes for everyone.
    public static func arenas() -> Trace {
        let session = SessionLength(meanSeconds: 5 * 60, spreadSeconds: 2 * 60)
        var random = SimulationRandom(seed: 20_260_110, stream: 0)
        var arrivals = (0..<360).map { _ in poisson(400.0 / 5, &random) }
        for start in stride(from: 15, to: 360, by: 30) {
            arrivals[start] += 300 + Int(random.unit() * 400)
        }
        return Trace(name: "arenas", arrivals: arrivals, session: session)
    }

    /// Repeating bursts that keep no hour: about 300 players in a game (games of 12 ± 6 minutes),
    /// and every 25 minutes from minute 20 a burst of 400 to 800 players (drawn per burst) joining
    /// within two minutes (60% in the first). Eight hours. A clock that does not divide the hour,
    /// so a profile by minute of the hour would not see it.
    public static func bursts() -> Trace {
        let session = SessionLength(meanSeconds: 12 * 60, spreadSeconds: 6 * 60)
        var random = SimulationRandom(seed: 20_260_111, stream: 0)
        var arrivals = (0..<480).map { _ in poisson(300.0 / 12, &random) }
        for start in stride(from: 20, to: 478, by: 25) {
            let size = 400 + random.unit() * 400
            arrivals[start] += Int((size * 0.6).rounded())
            arrivals[start + 1] += Int((size * 0.4).rounded())
        }
        return Trace(name: "bursts", arrivals: arrivals, session: session)
    }

    /// Three days of the chess site (the day's shape, a 2,000-player evening peak) with an event at
    /// 20:00 each evening: 1,500 players join within its first minute (games of 12 ± 6 minutes for
    /// everyone). The same hour each evening: foreseeable from the third.
    public static func dailyEvent() -> Trace {
        let session = SessionLength(meanSeconds: 12 * 60, spreadSeconds: 6 * 60)
        var random = SimulationRandom(seed: 20_260_112, stream: 0)
        var arrivals = (0..<3 * 1440).map { minute in
            poisson(2_000 * dayShape(Double(minute % 1440) / 60) / 12, &random)
        }
        for day in 0..<3 { arrivals[day * 1440 + 20 * 60] += 1_500 }
        return Trace(name: "daily-event", arrivals: arrivals, session: session)
    }

    /// The day of `day` eight hours earlier (the evening peak near 12:30 UTC, as a fleet serving
    /// another continent sees it), with a flash crowd of 2,500 players over three minutes at 15:00:
    /// nothing in the policy may assume the hour of the peak, and a one-off crowd is foreseen by no
    /// history.
    public static func shiftedDay() -> Trace {
        let session = SessionLength(meanSeconds: 12 * 60, spreadSeconds: 6 * 60)
        var random = SimulationRandom(seed: 20_260_113, stream: 0)
        var arrivals = (0..<1440).map { minute in
            poisson(2_000 * dayShape(Double((minute + 8 * 60) % 1440) / 60) / 12, &random)
        }
        for (offset, share) in [0.5, 0.3, 0.2].enumerated() { arrivals[15 * 60 + offset] += Int(2_500 * share) }
        return Trace(name: "shifted-day", arrivals: arrivals, session: session)
    }

    /// A bump of height 1 at `centre` hours, `width` hours wide, measured around the clock.
    static func bump(_ hour: Double, _ centre: Double, _ width: Double) -> Double {
        var d = abs(hour - centre)
        d = min(d, 24 - d)
        return exp(-(d * d) / (2 * width * width))
    }

    /// The files shipped in `examples/traces/`: each file's name and its CSV text.
    public static func shippedFiles() -> [(name: String, csv: String)] {
        let made = "Made by SyntheticTraces in Sources/FleetSimulation; a test checks this file matches it."
        return [
            ("day.csv", day().csv(comments: [
                "A 24-hour day of a chess site: quiet at night (about 15% of the peak around 05:00),",
                "a lunch bump, and the evening peak near 20:30 with about 2,000 players in a game.",
                "Arrivals per minute; each player plays one game of 12 +- 6 minutes.", made,
            ])),
            ("tournament.csv", tournament().csv(comments: [
                "A blitz tournament: about 500 players on the site, then at minute 60 a tournament",
                "of 3,000 players starts, all arriving within that minute, with a new round every",
                "12 minutes for seven rounds. Games of 10 +- 3 minutes.", made,
            ])),
            ("week.csv", week().csv(comments: [
                "A week, Monday to Sunday: the day's shape each day, weekdays peaking at about",
                "8,000 players in a game and the weekend at 10,000 (the benchmark's trace).",
                "Games of 12 +- 6 minutes.", made,
            ])),
            ("bullet.csv", bullet().csv(comments: [
                "A day of bullet chess: games of 3 +- 2 minutes, a midday peak near 13:00 with about",
                "1,500 players in a game, an evening bump near 20:00, 10% of the peak at night, and",
                "a slow random wander of the rate (streaks). Arrivals per minute.", made,
            ])),
            ("flash-crowd.csv", flashCrowd().csv(comments: [
                "A flash crowd: a quiet evening with about 300 players in a game, then at minute 90",
                "about 3,500 players arrive within five minutes, and stragglers keep coming at a rate",
                "halving every 20 minutes. Games of 12 +- 6 minutes.", made,
            ])),
            ("arenas.csv", arenas().csv(comments: [
                "Periodic arenas: about 400 players in a game, and every 30 minutes (from minute 15)",
                "an arena starts with 300 to 700 players joining within its first minute. Six hours;",
                "games of 5 +- 2 minutes.", made,
            ])),
            ("bursts.csv", bursts().csv(comments: [
                "Repeating bursts that keep no hour: about 300 players in a game, and every 25 minutes",
                "from minute 20 a burst of 400 to 800 players joining within two minutes. Eight hours;",
                "games of 12 +- 6 minutes.", made,
            ])),
            ("daily-event.csv", dailyEvent().csv(comments: [
                "Three days of the chess site (evening peak of about 2,000 players) with an event at",
                "20:00 each evening: 1,500 players join within its first minute. Games of 12 +- 6 minutes.", made,
            ])),
            ("shifted-day.csv", shiftedDay().csv(comments: [
                "The day of day.csv eight hours earlier (evening peak near 12:30 UTC), with a one-off",
                "flash crowd of 2,500 players over three minutes at 15:00. Games of 12 +- 6 minutes.", made,
            ])),
        ]
    }

    /// The share of the day's peak in a game at `hour` (0 ..< 24): 1 at the evening peak.
    static func dayShape(_ hour: Double) -> Double {
        func bump(_ centre: Double, _ width: Double) -> Double {
            // Distance around the clock, so the evening tail wraps into the early morning.
            var d = abs(hour - centre)
            d = min(d, 24 - d)
            return exp(-(d * d) / (2 * width * width))
        }
        let raw = 0.25 * bump(9, 2) + 0.55 * bump(13, 3.5) + 1.0 * bump(20.5, 2.6)
        // Scaled so the night trough is about 15% and the peak 1 (the raw peak is near 1.07 at 20:20).
        return 0.15 + 0.85 * min(raw / 1.07, 1)
    }

    /// A Poisson draw with mean `mean`; the normal approximation above 30, where it is close enough.
    static func poisson(_ mean: Double, _ random: inout SimulationRandom) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 30 {
            return max(0, Int((mean + mean.squareRoot() * random.normal()).rounded()))
        }
        let limit = exp(-mean)
        var product = random.unit()
        var count = 0
        while product > limit {
            count += 1
            product *= random.unit()
        }
        return count
    }
}
