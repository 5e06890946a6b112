import Foundation

/// Bursts that come back on a clock, learned from the fleet's own arrivals, so the `demand` policy
/// pre-warms for the next one instead of meeting it as if it were the first.
///
/// **What is kept.** Arrivals are counted per wall-clock minute (UTC). A minute whose arrivals
/// stand above the baseline by more than ``threshold(baseline:)`` (about four Poisson deviations)
/// is a burst minute; minutes of bursts in a row make one ``Burst`` (its start, length and the
/// arrivals above the baseline). The baseline is a slow average of the minutes that are not
/// bursts (time constant ``baselineMinutes``), so a burst does not raise the bar for the next.
/// Closed bursts are kept for ``memory`` (two days and an hour), at most ``limit`` of them: the
/// profile is a few kilobytes whatever the fleet.
///
/// **What is foreseen** (``forecast(at:horizon:)``): a burst that came twice is expected again.
/// - *Interval*: the newest burst of a series and the nearest earlier burst of a similar size
///   (within ``similarRatio``) `s` apart, `s` at least ``shortestSpacing``, foresee one more `s`
///   after the newest: arenas every 30 minutes, tournament rounds every 12, bursts every N minutes.
/// - *Daily*: a burst with a burst of similar size a day before it (± ``tolerance``) foresees one
///   a day after it: the same hour each evening, even with other bursts in between.
///
/// The size expected is the largest burst remembered of a size similar to the newest (a series
/// varies: arenas draw 300 to 700 players); it is counted from one minute before the expected
/// start (a burst may come a minute early or late) until it has come, less the arrivals above the
/// baseline already seen of it, and dropped when nothing came by a minute after the expected start. So a burst is
/// foreseen from its third occurrence; the first two are met by the rest of the policy. A one-off
/// burst (a flash crowd) foresees nothing; a series that ends costs one pre-warm that finds no
/// players. A schedule (`scaling.schedule`) remains for what history cannot know.
///
/// Pure data: serve and the simulator fold their windows into it with ``count(requests:from:to:)``
/// (through ``DemandMemory``), it travels in ``ObservedState/seasonal``, and the planner reads it.
public struct SeasonalProfile: Sendable, Equatable, Codable {
    /// Minutes in a row whose arrivals stood well above the baseline.
    public struct Burst: Sendable, Equatable, Codable {
        /// The burst's first minute (a whole minute, UTC).
        public var start: Date
        /// How many minutes in a row it lasted (1 or more).
        public var minutes: Int
        /// Arrivals above the baseline over those minutes.
        public var arrivals: Int

        public init(start: Date, minutes: Int, arrivals: Int) {
            self.start = start
            self.minutes = minutes
            self.arrivals = arrivals
        }

        /// The minute after the burst's last.
        var end: Date { start.addingTimeInterval(Double(minutes) * 60) }
    }

    /// The minute being counted: its start (a whole minute, UTC).
    public var minute: Date
    /// Arrivals counted so far in ``minute`` (a window spanning minutes is shared out by time).
    public var counted: Double
    /// Arrivals per minute outside bursts; nil before the first minute was closed.
    public var baselinePerMinute: Double?
    /// The burst under way (its minutes closed so far); nil when the last minute was no burst.
    public var open: Burst?
    /// Closed bursts, oldest first.
    public var bursts: [Burst]

    /// An empty profile counting from the minute holding `time`.
    public init(at time: Date) {
        minute = Self.minuteStart(time)
        counted = 0
        bursts = []
    }

    // MARK: - The rules, named once

    /// How long closed bursts are kept: two days and an hour, so a daily burst is seen twice.
    public static let memory: Double = 49 * 3600
    /// Most closed bursts kept (the newest).
    public static let limit = 512
    /// Two bursts are of a similar size when the larger is at most this many times the smaller.
    public static let similarRatio = 3.0
    /// The shortest spacing the interval rule foresees from: closer bursts are one crowd.
    public static let shortestSpacing: Double = 5 * 60
    /// How far from a day apart two bursts may start and still count as daily; also how early and
    /// late an expected burst may come.
    public static let tolerance: Double = 60
    /// The time constant of the baseline, in minutes (outside bursts).
    public static let baselineMinutes = 10.0
    /// The time constant of the baseline during a burst, in minutes: it barely moves, so a burst
    /// does not hide the next, and a lasting step up in traffic still becomes the baseline.
    public static let baselineMinutesInBurst = 60.0

    /// Arrivals above the baseline that make a minute a burst minute: four Poisson deviations of
    /// the baseline plus ten, so noise is never a burst, and at least half the baseline, so a slow
    /// surge of busy traffic (a streak of ±20%) is not one either: a burst is sudden and large.
    public static func threshold(baseline: Double) -> Double {
        let baseline = max(baseline, 0)
        return max(4 * baseline.squareRoot() + 10, 0.5 * baseline)
    }

    // MARK: - Counting

    /// Counts `requests` arrivals made between `start` and `end`, shared out over the minutes the
    /// span covers by time. A span of no length counts at `end`. Minutes are closed as time moves
    /// past them; a jump forward of more than a minute (a restart after a while) closes the minute
    /// and the burst under way, and the minutes of the gap are not counted (nobody counted them).
    public mutating func count(requests: Int, from start: Date, to end: Date) {
        let requests = Double(max(requests, 0))
        let total = end.timeIntervalSince(start)
        guard total > 0 else {
            add(requests, at: end)
            return
        }
        var from = start
        while from < end {
            let next = min(end, Self.minuteStart(from).addingTimeInterval(60))
            add(requests * next.timeIntervalSince(from) / total, at: from)
            from = next
        }
        // Close the minute `end` finishes, so a burst is known as soon as its minute is over.
        add(0, at: end)
    }

    /// Adds arrivals to the minute holding `time`, closing the minutes before it.
    mutating func add(_ arrivals: Double, at time: Date) {
        let target = Self.minuteStart(time)
        if target > minute {
            let gap = target.timeIntervalSince(minute) > 60
            close()
            if gap, let burst = open {
                keep(burst)
                open = nil
            }
            minute = target
            counted = 0
        }
        // A clock that stepped back counts in the current minute.
        counted += arrivals
    }

    /// Closes ``minute``: a burst minute extends or starts the burst under way; any other minute
    /// closes it and moves the baseline.
    mutating func close() {
        let arrivals = counted
        guard let baseline = baselinePerMinute else {
            baselinePerMinute = arrivals
            return
        }
        let excess = arrivals - baseline
        if excess >= Self.threshold(baseline: baseline) {
            if var burst = open {
                burst.minutes += 1
                burst.arrivals += Int(excess.rounded())
                open = burst
            } else {
                open = Burst(start: minute, minutes: 1, arrivals: Int(excess.rounded()))
            }
            baselinePerMinute = baseline + excess * (1 - exp(-1 / Self.baselineMinutesInBurst))
        } else {
            if let burst = open {
                keep(burst)
                open = nil
            }
            baselinePerMinute = max(0, baseline + excess * (1 - exp(-1 / Self.baselineMinutes)))
        }
    }

    /// Keeps a closed burst, forgetting those past ``memory`` and beyond ``limit``.
    mutating func keep(_ burst: Burst) {
        bursts.append(burst)
        let oldest = burst.start.addingTimeInterval(-Self.memory)
        if let first = bursts.firstIndex(where: { $0.start >= oldest }), first > 0 { bursts.removeFirst(first) }
        if bursts.count > Self.limit { bursts.removeFirst(bursts.count - Self.limit) }
    }

    // MARK: - Foreseeing

    /// A burst the history says is coming.
    public struct Expected: Sendable, Equatable, Codable {
        /// When it should start (a whole minute, UTC).
        public var at: Date
        /// Arrivals above the baseline expected: the largest remembered burst of a size similar to
        /// the newest of the two it was learned from.
        public var arrivals: Int
        /// How many minutes it should last.
        public var minutes: Int
        /// The spacing it was learned from, in seconds: the interval between the two bursts seen
        /// (86,400 for the daily rule).
        public var everySeconds: Double
    }

    /// The bursts expected from the history, at most one per start minute (the largest), earliest
    /// first, whose time (one ``tolerance`` early to one late) has not passed at `now`.
    public func expected(at now: Date) -> [Expected] {
        var found: [Expected] = []
        func similar(_ a: Burst, _ b: Burst) -> Bool {
            let small = Double(max(min(a.arrivals, b.arrivals), 1)), large = Double(max(a.arrivals, b.arrivals))
            return large <= small * Self.similarRatio
        }
        func consider(_ newest: Burst, _ earlier: Burst, every spacing: Double) {
            let at = newest.start.addingTimeInterval(spacing)
            // Bursts of a series vary (arenas draw 300 to 700 players): the largest similar burst
            // remembered is expected, not the last.
            let largest = bursts.reduce(max(newest.arrivals, earlier.arrivals)) { similar($1, newest) ? max($0, $1.arrivals) : $0 }
            let expected = Expected(at: at, arrivals: largest, minutes: max(newest.minutes, earlier.minutes), everySeconds: spacing)
            guard expected.window.upperBound > now else { return }
            found.append(expected)
        }
        let all = bursts
        for (j, newest) in all.enumerated() {
            // Interval: the nearest earlier similar burst, far enough apart.
            var i = j - 1
            while i >= 0 {
                let spacing = newest.start.timeIntervalSince(all[i].start)
                if spacing >= Self.shortestSpacing, similar(newest, all[i]) {
                    consider(newest, all[i], every: spacing)
                    break
                }
                i -= 1
            }
            // Daily: a similar burst a day earlier.
            let dayBefore = newest.start.addingTimeInterval(-86_400)
            if let earlier = all[..<j].last(where: { abs($0.start.timeIntervalSince(dayBefore)) <= Self.tolerance && similar(newest, $0) }) {
                consider(newest, earlier, every: 86_400)
            }
        }
        // One per start minute, the largest; earliest first.
        var byMinute: [Date: Expected] = [:]
        for e in found where (byMinute[e.at]?.arrivals ?? -1) < e.arrivals { byMinute[e.at] = e }
        return byMinute.values.sorted { $0.at < $1.at }
    }

    /// What the pass at `now` should keep room for: the arrivals above the baseline of the expected
    /// bursts whose window (``Expected/window``) meets the next `horizon` seconds, less the
    /// arrivals above the baseline already seen of a burst under way that started in that window;
    /// a burst that has not begun by one ``tolerance`` after its expected start is no longer
    /// waited for. Nil when none is expected.
    public func forecast(at now: Date, horizon: Double) -> SeasonalForecast? {
        let ahead = now.addingTimeInterval(max(horizon, 0))
        var total = 0
        var first: Expected?
        for e in expected(at: now) where e.window.lowerBound <= ahead {
            var remaining = e.arrivals
            let seen = arrivalsSeen(since: e.window.lowerBound)
            if let seen { remaining = max(0, remaining - seen) }
            // Not come by the latest it was expected to start: a series that ended.
            if seen == nil, now > e.at.addingTimeInterval(Self.tolerance) { continue }
            guard remaining > 0 else { continue }
            total = min(total + remaining, Int(DemandTrend.largestRate))
            if first == nil { first = e }
        }
        guard let first, total > 0 else { return nil }
        return SeasonalForecast(arrivals: total, at: first.at, everySeconds: first.everySeconds)
    }

    /// True while the history awaits a burst, however far ahead: one of a series it learned that
    /// has not come in full, and, if it has not begun, is not past its latest start (the rules of
    /// ``forecast(at:horizon:)``). The demand policy then leaves the next burst to the pre-warm and
    /// stops holding the growth the last burst raised.
    public func awaitsBurst(at now: Date) -> Bool {
        expected(at: now).contains { e in
            guard let seen = arrivalsSeen(since: e.window.lowerBound) else { return now <= e.at.addingTimeInterval(Self.tolerance) }
            return seen < e.arrivals
        }
    }

    /// Arrivals above the baseline seen since `time`: the burst under way (if it started then or
    /// later) and the minute being counted; nil when there is none.
    func arrivalsSeen(since time: Date) -> Int? {
        var seen = 0
        var any = false
        if let open, open.start >= time {
            seen += open.arrivals
            any = true
        } else if let last = bursts.last, last.start >= time {
            seen += last.arrivals
            any = true
        }
        if minute >= time, let baseline = baselinePerMinute, counted - baseline >= Self.threshold(baseline: baseline) {
            seen += Int((counted - baseline).rounded())
            any = true
        }
        return any ? seen : nil
    }

    /// The start of the minute holding `time`.
    static func minuteStart(_ time: Date) -> Date {
        Date(timeIntervalSince1970: (time.timeIntervalSince1970 / 60).rounded(.down) * 60)
    }

    // MARK: - JSON

    enum CodingKeys: String, CodingKey {
        case minute, counted, baselinePerMinute, open, bursts
    }

    /// Reads the JSON form, refusing counts that are negative, not finite or too large, and more
    /// bursts than ``limit``, each with a message naming the field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        minute = Self.minuteStart(try c.decode(Date.self, forKey: .minute))
        counted = try c.decode(Double.self, forKey: .counted)
        baselinePerMinute = try c.decodeIfPresent(Double.self, forKey: .baselinePerMinute)
        open = try c.decodeIfPresent(Burst.self, forKey: .open)
        bursts = try c.decodeIfPresent([Burst].self, forKey: .bursts) ?? []
        for (key, value) in [(CodingKeys.counted, counted), (.baselinePerMinute, baselinePerMinute ?? 0)]
        where !(value.isFinite && value >= 0 && value <= DemandTrend.largestRate) {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "must be 0 to \(Int(DemandTrend.largestRate)) arrivals, got \(value)")
        }
        guard bursts.count <= Self.limit else {
            throw DecodingError.dataCorruptedError(forKey: .bursts, in: c, debugDescription: "at most \(Self.limit) bursts, got \(bursts.count)")
        }
        for burst in bursts + (open.map { [$0] } ?? [])
        where !(1...Int(Self.memory / 60)).contains(burst.minutes) || !(0...Int(DemandTrend.largestRate)).contains(burst.arrivals) {
            throw DecodingError.dataCorruptedError(forKey: .bursts, in: c, debugDescription: "a burst lasts 1 to \(Int(Self.memory / 60)) minutes with 0 to \(Int(DemandTrend.largestRate)) arrivals, got \(burst.minutes) minutes, \(burst.arrivals) arrivals")
        }
    }
}

extension SeasonalProfile.Expected {
    /// When the burst may come: from one ``SeasonalProfile/tolerance`` before its start to one
    /// after its end.
    public var window: ClosedRange<Date> {
        at.addingTimeInterval(-SeasonalProfile.tolerance)...at.addingTimeInterval(Double(minutes) * 60 + SeasonalProfile.tolerance)
    }
}

/// What the seasonal profile added to one pass's sizing: `seasonal: 240 arrivals expected at :30
/// (every 30m)`.
public struct SeasonalForecast: Sendable, Equatable, Codable {
    /// Arrivals above the baseline expected within the lead time, not yet seen.
    public var arrivals: Int
    /// When the first of the expected bursts should start.
    public var at: Date
    /// The spacing it was learned from, in seconds.
    public var everySeconds: Double

    public init(arrivals: Int, at: Date, everySeconds: Double) {
        self.arrivals = arrivals
        self.at = at
        self.everySeconds = everySeconds
    }

    enum CodingKeys: String, CodingKey {
        case arrivals, at, everySeconds, text
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        arrivals = try c.decode(Int.self, forKey: .arrivals)
        at = try c.decode(Date.self, forKey: .at)
        everySeconds = try c.decode(Double.self, forKey: .everySeconds)
    }

    /// The JSON form carries ``text`` too, so the status page shows the planner's words.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(arrivals, forKey: .arrivals)
        try c.encode(at, forKey: .at)
        try c.encode(everySeconds, forKey: .everySeconds)
        try c.encode(text, forKey: .text)
    }

    /// `seasonal: 240 arrivals expected at :30 (every 30m)`; `at 20:00` when the spacing is an hour
    /// or more (UTC), `(daily)` for the daily rule.
    public var text: String {
        let seconds = Int(at.timeIntervalSince1970.rounded(.down))
        let minuteOfHour = (seconds / 60) % 60, hour = (seconds / 3600) % 24
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        let when = everySeconds >= 3600 ? "\(two(hour)):\(two(minuteOfHour)) UTC" : ":\(two(minuteOfHour))"
        let every = everySeconds == 86_400 ? "daily" : "every " + DurationText.format(.seconds(Int64(everySeconds.rounded())))
        return "seasonal: \(arrivals) arrivals expected at \(when) (\(every))"
    }
}
