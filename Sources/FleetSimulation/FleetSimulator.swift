import FleetCore
import Foundation

/// One run of a simulated fleet over a trace: a discrete-event simulation in simulated seconds.
///
/// Events, earliest first (simultaneous ones in this order): a session ends, a server comes up or
/// fails, a pass ends, a pass starts, a player arrives. A pass works as `serve`'s reconciler does:
/// it probes every server and plans when it starts; when it ends (``SimulationSettings/passDuration``
/// later) it applies the plan and publishes what it *observed* to the allocation endpoint, so a
/// server parked by this pass still looks active to the allocator until the next pass publishes.
/// The next pass starts `health.interval` after one ends, or at once when a cap cut it short.
/// A player asks serve's own ``FleetCore/AllocationIndex``, built from the published state and the
/// reservations made since each server's probe, and joins the server it names, or the backup.
///
/// Time 0 is the trace's minute 0; the warm-up runs before it and nothing before it is counted.
struct FleetSimulator {
    let spec: FleetSpec
    let trace: Trace
    let session: SessionLength.Sampler
    let settings: SimulationSettings
    let rules: ScalingRules

    private let capacity: Int
    private let upscaleMargin: Int
    private let downscaleMargin: Int
    private let interval: Double
    private let startupGrace: Double
    private let endTime: Double
    private let warmUpMinutes: Int
    private let meanSecondsToFailure: Double

    // The fleet as it really is. `servers` is indexed by launch number; `alive` lists the launch
    // numbers of servers not yet stopped, ascending, and `observed` is what the prober last saw of
    // each, in the same order.
    private var servers: [SimulatedServer] = []
    private var alive: [Int] = []
    private var observed: [ObservedServer] = []

    /// What the allocation endpoint knows between two probes.
    private(set) var allocation: AllocatorView
    /// The demand signal, kept as serve keeps it: the allocation answers since the last pass
    /// (``FleetCore/DemandWindow``), the measured startup of launches since time 0
    /// (``FleetCore/StartupBook``) and the smoothed rates and seasonal profile (``FleetCore/DemandMemory``).
    private var demandWindow: DemandWindow
    private var startups: StartupBook
    private var memory = DemandMemory()
    private let backupAnswer: Allocation

    /// Session ends: the value is the server's launch number, or -1 for the backup.
    private var sessionEnds = TimedQueue()
    /// Server events: launch number × 2, plus 1 for a failure (0 for coming up).
    private var serverEvents = TimedQueue()
    private var nextPass: Double
    /// When the pass in flight applies its plan and publishes; infinity when none is in flight.
    private var nextPassEnd: Double = .infinity
    /// The plan of the pass in flight.
    private var pendingPlan: Plan?
    private let passDuration: Double

    private var playerRandom: SimulationRandom
    private var arrivalMinute: Int
    private var arrivalIndex = 0
    private var arrivalsThisMinute = 0
    private var nextArrival: Double = .infinity

    private var fleetPlayers = 0
    private var backupPlayers = 0
    /// Players in a game by the trace alone, wherever they went and whatever happened to their server:
    /// what the lower bound must seat.
    private var demand = 0
    /// Real free slots on active, answering servers.
    private var freeSlots = 0

    // Accounting from time 0.
    private var clock: Double
    private var counting = false
    private var serverSeconds = 0.0
    private var playerSeconds = 0.0
    private var lowerBoundServerSeconds = 0.0
    /// Time at each fleet size, for money under a capacity provider mix (``FleetPrice``).
    private(set) var fleetSizes = FleetSizeTime()
    /// The same for the lower bound's fleet.
    private(set) var lowerBoundFleetSizes = FleetSizeTime()
    private var underMarginRun = 0.0
    private var longestUnderMargin = 0.0
    private var timeUnderMargin = 0.0
    private var timeOverMargin = 0.0
    private var peakServers = 0
    private var peakDemand = 0
    private var launches = 0, stops = 0, standbys = 0, activations = 0, passes = 0
    private var arrivals = 0, servedByFleet = 0, sentToBackup = 0, refusedJoins = 0
    private var onStoppedServers = 0, failures = 0, cutOffByFailures = 0
    private var playingAtStart = 0, finished = 0
    private(set) var timeline: Timeline
    /// Players sent to the backup in each minute of the trace (for the report's bursts).
    private(set) var backupByMinute: [Int]

    init(spec: FleetSpec, trace: Trace, session: SessionLength, settings: SimulationSettings, rules: ScalingRules) {
        self.spec = spec
        self.trace = trace
        self.session = SessionLength.Sampler(session)
        self.settings = settings
        self.rules = rules
        capacity = spec.gameserver.capacity
        upscaleMargin = spec.scaling.upscaleMargin
        downscaleMargin = spec.scaling.downscaleMargin
        interval = max(spec.gameserver.health.interval.seconds, 0.001)
        passDuration = max(settings.passDuration.seconds, 0)
        startupGrace = spec.gameserver.health.startupGrace.seconds
        endTime = Double(trace.minutes) * 60
        warmUpMinutes = trace.minutes == 0 ? 0 : Int((settings.warmUp.seconds / 60).rounded(.up))
        meanSecondsToFailure = settings.failuresPerServerHour > 0 ? 3600 / settings.failuresPerServerHour : .infinity
        let start = -Double(warmUpMinutes) * 60
        nextPass = start
        clock = start
        arrivalMinute = -warmUpMinutes - 1
        playerRandom = SimulationRandom(seed: settings.seed, stream: 1)
        timeline = Timeline(seconds: endTime, count: settings.timelineBuckets)
        backupByMinute = Array(repeating: 0, count: trace.minutes)
        allocation = AllocatorView(spec: spec, verify: settings.verifyAllocations)
        demandWindow = DemandWindow(start: Self.epoch.addingTimeInterval(start))
        // Warm-up launches start at once; measuring them would say startups take no time.
        startups = StartupBook(since: Self.epoch)
        backupAnswer = spec.allocation.backup.map { .backup($0) } ?? .none
        sessionEnds.reserve(1024)
        arrivalIndex = 0
        arrivalsThisMinute = 0
        scheduleNextArrival()
    }

    /// Stands for a server's address in the demand tally, which counts answers and reads no address.
    static let anyAddress = HostPort(host: "0.0.0.0", port: 1)

    /// The epoch simulated time counts from: a Monday at 00:00 UTC, so a week trace starts the week.
    static let epoch = Date(timeIntervalSince1970: 1_767_571_200)  // 2026-01-05T00:00:00Z

    // MARK: - The event loop

    /// Runs the trace to its end and returns what the fleet did.
    mutating func run() -> (outcome: FleetOutcome, lowerBoundServerHours: Double, peakDemand: Int) {
        while true {
            let departure = sessionEnds.nextTime
            let serverEvent = serverEvents.nextTime
            let t = min(departure, serverEvent, nextPassEnd, nextPass, nextArrival)
            if t >= endTime { break }
            advance(to: t)
            if departure == t {
                endSession()
            } else if serverEvent == t {
                handleServerEvent()
            } else if nextPassEnd == t {
                endPass(at: t)
            } else if nextPass == t {
                startPass(at: t)
            } else {
                arrive(at: t)
                scheduleNextArrival()
            }
        }
        advance(to: endTime)
        timeline.finish()
        return (outcome(), (lowerBoundServerSeconds / 3600 * 1000).rounded() / 1000, peakDemand)
    }

    /// Moves the clock to `t`, adding up everything that held still since the last event.
    private mutating func advance(to t: Double) {
        if !counting && t >= 0 {
            clock = max(clock, 0)
            counting = true
            playingAtStart = fleetPlayers + backupPlayers
            peakServers = alive.count
            peakDemand = demand
        }
        guard counting, t > clock else {
            clock = max(clock, t)
            return
        }
        let dt = t - clock
        serverSeconds += Double(alive.count) * dt
        playerSeconds += Double(fleetPlayers) * dt
        let seats = max(spec.scaling.minServers, (demand + capacity - 1) / capacity)
        lowerBoundServerSeconds += Double(seats) * dt
        fleetSizes.add(dt, servers: alive.count)
        lowerBoundFleetSizes.add(dt, servers: seats)
        if freeSlots < upscaleMargin {
            underMarginRun += dt
            timeUnderMargin += dt
            longestUnderMargin = max(longestUnderMargin, underMarginRun)
        } else {
            underMarginRun = 0
            if freeSlots > downscaleMargin { timeOverMargin += dt }
        }
        timeline.record(from: clock, to: t, players: fleetPlayers, backup: backupPlayers,
                        paid: alive.count * capacity, free: freeSlots)
        clock = t
    }

    // MARK: - Players

    /// Steps the arrival cursor to the next player: arrivals within a minute are spread evenly over it.
    private mutating func scheduleNextArrival() {
        arrivalIndex += 1
        while arrivalIndex >= arrivalsThisMinute {
            arrivalMinute += 1
            guard arrivalMinute < trace.minutes else {
                nextArrival = .infinity
                return
            }
            // The warm-up repeats the first minute.
            arrivalsThisMinute = trace.arrivals[max(arrivalMinute, 0)]
            arrivalIndex = 0
        }
        nextArrival = 60 * Double(arrivalMinute) + 60 * (Double(arrivalIndex) + 0.5) / Double(arrivalsThisMinute)
    }

    private mutating func arrive(at t: Double) {
        let length = session.draw(using: &playerRandom)
        demand += 1
        if counting {
            arrivals += 1
            peakDemand = max(peakDemand, demand)
        }
        var joined: Int?
        let answer = allocation.allocate()
        // What the endpoint answered, counted as serve counts it: a server the player then finds
        // full or gone is still an allocation to the endpoint.
        demandWindow.count(answer.map { .server(id: $0, address: Self.anyAddress) } ?? backupAnswer)
        if let id = answer, let serial = ServerID.serial(of: id), serial < servers.count {
            servers[serial].reservedSinceProbe += 1
            // What the allocator knows is stale: the server may have failed or filled up since. A
            // server parked since it was observed still takes the player (standby only stops the
            // allocator sending more).
            let server = servers[serial]
            if server.isUp && !server.failed && !server.stopped && server.players < capacity {
                joined = serial
            } else if counting {
                refusedJoins += 1
            }
        }
        if let serial = joined {
            if servers[serial].servesPlayers { freeSlots -= 1 }
            servers[serial].players += 1
            fleetPlayers += 1
            if counting { servedByFleet += 1 }
            sessionEnds.push(t + length, serial)
        } else {
            backupPlayers += 1
            if counting {
                sentToBackup += 1
                backupByMinute[min(max(Int(t / 60), 0), backupByMinute.count - 1)] += 1
            }
            sessionEnds.push(t + length, -1)
        }
    }

    private mutating func endSession() {
        guard let entry = sessionEnds.pop() else { return }
        demand -= 1
        if entry.value < 0 {
            backupPlayers -= 1
        } else {
            let serial = entry.value
            // The player already left when the server failed or was stopped, and was counted then.
            guard !servers[serial].failed, !servers[serial].stopped else { return }
            servers[serial].players -= 1
            fleetPlayers -= 1
            if servers[serial].servesPlayers { freeSlots += 1 }
        }
        if counting { finished += 1 }
    }

    // MARK: - Servers

    private mutating func handleServerEvent() {
        guard let entry = serverEvents.pop() else { return }
        let serial = entry.value / 2
        guard !servers[serial].stopped else { return }
        if entry.value % 2 == 0 {
            servers[serial].isUp = true
            if servers[serial].servesPlayers { freeSlots += capacity - servers[serial].players }
        } else {
            let server = servers[serial]
            if server.servesPlayers { freeSlots -= capacity - server.players }
            fleetPlayers -= server.players
            if counting {
                failures += 1
                cutOffByFailures += server.players
            }
            servers[serial].players = 0
            servers[serial].failed = true
        }
    }

    private mutating func launch(at t: Double) -> Int {
        let serial = servers.count
        // Each server draws from its own stream, so server N starts and fails the same way whichever
        // rules launched it and however many draws other servers made.
        var random = SimulationRandom(seed: settings.seed, stream: 2 + UInt64(serial))
        let drawn = max(0, settings.startupDelay.seconds + settings.startupJitter.seconds * random.symmetric())
        // In the warm-up servers start at once, so a cold fleet catches up with the first minute's load
        // before anything is counted, however slow startups are.
        let upAt = t + (t < 0 ? 0 : drawn)
        let failAt = upAt + random.exponential(mean: meanSecondsToFailure)
        servers.append(SimulatedServer(launchedAt: t, upAt: upAt, failAt: failAt))
        alive.append(serial)
        let address = HostPort(host: "10.\(serial >> 16 & 255).\(serial >> 8 & 255).\(serial & 255)", port: 7000)
        observed.append(ObservedServer(
            id: ServerID.make(serial), address: address, taskDefinition: spec.taskDefinition,
            // The simulated gamefleet launched it, so it has watched it since launch.
            lifecycle: .pending, launchedAt: Self.epoch.addingTimeInterval(t), firstSeenAt: Self.epoch.addingTimeInterval(t)))
        serverEvents.push(upAt, serial * 2)
        if failAt.isFinite { serverEvents.push(failAt, serial * 2 + 1) }
        if counting {
            launches += 1
            timeline.launches[timeline.bucket(t)] += 1
        }
        return serial
    }

    private mutating func stop(_ serial: Int, at t: Double) {
        let server = servers[serial]
        guard !server.stopped else { return }
        if server.servesPlayers { freeSlots -= capacity - server.players }
        // Never hidden: a player on a server being stopped loses their game, and the report shows it.
        fleetPlayers -= server.players
        if counting {
            onStoppedServers += server.players
            stops += 1
            timeline.stops[timeline.bucket(t)] += 1
        }
        servers[serial].players = 0
        servers[serial].stopped = true
    }

    private mutating func setStandby(_ serial: Int, _ standby: Bool) {
        guard !servers[serial].stopped, servers[serial].standby != standby else { return }
        if servers[serial].servesPlayers { freeSlots -= capacity - servers[serial].players }
        servers[serial].standby = standby
        if servers[serial].servesPlayers { freeSlots += capacity - servers[serial].players }
        if let index = position(of: serial) { observed[index].standby = standby }
        if counting {
            if standby { standbys += 1 } else { activations += 1 }
        }
    }

    /// Where a live server sits in `alive` and `observed`.
    private func position(of serial: Int) -> Int? {
        var low = 0, high = alive.count
        while low < high {
            let mid = (low + high) / 2
            if alive[mid] < serial { low = mid + 1 } else { high = mid }
        }
        return low < alive.count && alive[low] == serial ? low : nil
    }

    // MARK: - Planning passes

    /// A pass starts: probe every server and plan from what the probes said.
    private mutating func startPass(at t: Double) {
        if counting { passes += 1 }
        let now = Self.epoch.addingTimeInterval(t)
        probe(now)
        // Close the demand window at the probe, as serve's pass does: the reservations left after
        // the probes are the unconfirmed ones.
        let unconfirmed = alive.reduce(0) { $0 + servers[$1].reservedSinceProbe }
        let window = demandWindow.close(at: now, reservedUnconfirmed: unconfirmed)
        if spec.scaling.policy == .demand || !spec.scaling.schedule.isEmpty {
            // Only the demand policy and the schedule read these; margin runs skip the work.
            startups.note(observed)
            memory.fold(window: window, players: DemandTrend.players(on: observed, capacity: capacity), at: now,
                        settings: spec.scaling.demand)
        }
        pendingPlan = decide(now, demand: window)
        nextPass = .infinity
        nextPassEnd = t + passDuration
    }

    /// A pass ends: carry out the plan, publish what it observed with its own actions applied (as
    /// serve does) to the allocation endpoint, and schedule the next pass.
    private mutating func endPass(at t: Double) {
        nextPassEnd = .infinity
        guard let plan = pendingPlan else { return }
        pendingPlan = nil
        var launched: Int?
        var anyStopped = false
        for action in plan.actions {
            if action.kind == .launch {
                launched = launch(at: t)
                continue
            }
            guard let id = action.server, let serial = ServerID.serial(of: id), serial < servers.count else { continue }
            switch action.kind {
            case .stop:
                stop(serial, at: t)
                anyStopped = true
            case .standby: setStandby(serial, true)
            case .activate: setStandby(serial, false)
            case .launch: break
            }
        }
        if anyStopped { removeStopped() }
        if counting { peakServers = max(peakServers, alive.count) }
        publish()

        switch rules {
        case .gamefleet:
            // Serve sleeps an interval after each pass, and starts the next at once after one that a
            // cap cut short.
            nextPass = t + (plan.requeueSoon ? settings.requeueDelay.seconds : interval)
        case .oldApp:
            // The old loop waited for a launched server to answer (giving up after startupGrace)
            // before it slept its interval: nothing was probed, decided or published meanwhile.
            var resume = t
            if let serial = launched {
                let server = servers[serial]
                resume = server.upAt < server.failAt && server.upAt - t <= startupGrace ? server.upAt : t + startupGrace
            }
            nextPass = resume + interval
        }
    }

    /// Hands `observed` to the allocation endpoint, with the reservations made since each server's probe.
    private mutating func publish() {
        let carried = alive.map { servers[$0].reservedSinceProbe }
        allocation.reset(servers: observed, reservedSinceProbe: carried)
    }

    /// Asks the rules for a plan. Kept apart so the observed state handed over is released before
    /// the fleet changes (the array is then not copied on write).
    private func decide(_ now: Date, demand: DemandSignal) -> Plan {
        var state = ObservedState(observedAt: now, servers: observed, demand: demand, startup: startups.statistic)
        memory.stamp(&state)
        switch rules {
        case .gamefleet: return Planner.plan(spec: spec, observed: state, now: now)
        case .oldApp: return OldAppPlanner.plan(spec: spec, observed: state, now: now)
        }
    }

    /// Probes every server, as the reconcile pass does: a server that is up answers with its real free
    /// slots; a failed one does not answer; one still starting is not probed yet.
    private mutating func probe(_ now: Date) {
        for index in alive.indices {
            let serial = alive[index]
            let server = servers[serial]
            guard server.isUp else { continue }
            observed[index].lifecycle = .running
            // A good probe counts the players the allocator sent so far; a failed one leaves the
            // reservations standing, as serve keeps those newer than the last good probe.
            if server.failed {
                observed[index].health.recordFailure()
            } else {
                let free = capacity - server.players
                observed[index].health.recordSuccess(availableCapacity: free, readyToClose: server.players == 0, at: now)
                servers[serial].reservedSinceProbe = 0
            }
        }
    }

    private mutating func removeStopped() {
        var kept = 0
        for index in alive.indices where !servers[alive[index]].stopped {
            if kept != index {
                alive[kept] = alive[index]
                observed.swapAt(kept, index)
            }
            kept += 1
        }
        alive.removeLast(alive.count - kept)
        observed.removeLast(observed.count - kept)
    }

    // MARK: - The result

    private func outcome() -> FleetOutcome {
        func round(_ value: Double, _ places: Double) -> Double {
            let scale = Foundation.pow(10, places)
            return (value * scale).rounded() / scale
        }
        let hours = serverSeconds / 3600
        let lowerBound = lowerBoundServerSeconds / 3600
        return FleetOutcome(
            rules: rules, policy: rules == .gamefleet ? spec.scaling.policy : nil,
            serverHours: round(hours, 3),
            lowerBoundRatio: lowerBound > 0 ? round(hours / lowerBound, 4) : 0,
            peakServers: peakServers, launches: launches, stops: stops, standbys: standbys,
            activations: activations, passes: passes, arrivals: arrivals,
            playersServedByFleet: servedByFleet, playersSentToBackup: sentToBackup,
            backupPercent: arrivals > 0 ? round(Double(sentToBackup) / Double(arrivals) * 100, 4) : 0,
            refusedJoins: refusedJoins,
            longestUnderUpscaleMarginSeconds: round(longestUnderMargin, 1),
            timeUnderUpscaleMarginSeconds: round(timeUnderMargin, 1),
            timeOverDownscaleMarginSeconds: round(timeOverMargin, 1),
            slotUtilisationPercent: serverSeconds > 0 ? round(playerSeconds / (serverSeconds * Double(capacity)) * 100, 4) : 0,
            playersOnStoppedServers: onStoppedServers, serverFailures: failures,
            playersCutOffByFailures: cutOffByFailures, playersPlayingAtStart: playingAtStart,
            playersFinished: finished, playersPlayingAtEnd: fleetPlayers + backupPlayers)
    }
}
