import ArgumentParser
import FleetCore
import FleetSimulation
import Foundation

/// `gamefleet simulate`: the real planner and allocator against a simulated fleet and a load trace.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a load trace against a simulated fleet, with the same planner and allocator as serve.",
        discussion: """
        Reports the cost (server-hours) against the lower bound and the old app's rules, the players sent \
        to the backup, and more. With cost: in fleet.yaml, also money a day and a month (30 days) for each \
        fleet, a fixed fleet sized for the peak and the lower bound, in cost.currency. With --sweep, runs every combination of the given settings and marks the \
        Pareto front of cost against backup share. The trace format is described in examples/traces/README.md \
        and docs/simulator.md; the same seed, trace and config always give the same report, byte for byte.
        """)

    enum Output: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var options: ConfigOptions

    @Option(help: "The load trace: CSV 'minute,arrivals' with '# session_mean_minutes: N' metadata (see examples/traces/).")
    var trace: String

    @Option(help: "Seed for every random draw (session lengths, startup jitter, failures).")
    var seed: UInt64 = 1

    @Option(help: "Output format: text or json.")
    var output: Output = .text

    @Option(help: "Also write a chart of gamefleet's run to this SVG file.")
    var svg: String?

    @Option(help: "Time from a launch until the server answers its first probe.")
    var startupDelay: String = "60s"

    @Option(help: "Each startup takes startup-delay plus or minus up to this much (uniform).")
    var startupJitter: String = "20s"

    @Option(help: "How often a running server fails, e.g. 0.001/h (per server-hour) or 0.02/d (per server-day).")
    var failureRate: String = "0.001/h"

    @Option(help: "Replay the trace's first minute for this long before minute 0, so the run starts warm; 0s starts cold.")
    var warmUp: String = "1h"

    @Option(help: "How long a pass takes from its probes to acting and publishing to the allocator (provider calls, the slowest probe).")
    var passDuration: String = "500ms"

    @Option(help: "Mean session length (e.g. 12m); overrides the trace's session_mean_minutes.")
    var sessionMean: String?

    @Option(help: "Session length spread (standard deviation, e.g. 6m); overrides the trace's session_spread_minutes.")
    var sessionSpread: String?

    @Option(parsing: .upToNextOption,
            help: "Run a grid instead of one run: SETTING=LOW...HIGH[/STEP] or SETTING=A,B,C, for upscaleMargin, downscaleMargin, capacity, maxLaunchesPerPass, minServers, maxServers.")
    var sweep: [String] = []

    func run() async throws {
        let spec = try await options.loadSpec()
        let loaded = try loadTrace()
        let settings = try simulationSettings()

        if !sweep.isEmpty {
            guard svg == nil else {
                Stderr.write("--svg charts a single run; leave it out with --sweep\n")
                throw ExitCode.failure
            }
            try runSweep(spec: spec, trace: loaded, settings: settings)
            return
        }

        let (report, timeline) = Simulation.report(spec: spec, trace: loaded, settings: settings)
        switch output {
        case .text: Stdout.write(report.text())
        case .json: Stdout.write(report.json())
        }
        if let svg {
            do {
                try SVGChart.render(timeline, report: report).write(toFile: svg, atomically: true, encoding: .utf8)
            } catch {
                Stderr.write("\(svg): cannot write the chart: \(error.localizedDescription)\n")
                throw ExitCode.failure
            }
        }
        for run in [report.gamefleet, report.otherPolicy] where run.playersOnStoppedServers > 0 {
            Stderr.write("gamefleet (\((run.policy ?? .margin).rawValue) policy) stopped servers with \(run.playersOnStoppedServers) player(s) on them; this must never happen\n")
            throw ExitCode.failure
        }
    }

    func runSweep(spec: FleetSpec, trace: Trace, settings: SimulationSettings) throws {
        var axes: [SweepAxis] = []
        for text in sweep {
            do {
                let axis = try SweepAxis(parsing: text)
                guard !axes.contains(where: { $0.parameter == axis.parameter }) else {
                    Stderr.write("--sweep: \(axis.parameter.rawValue) is given twice\n")
                    throw ExitCode.failure
                }
                axes.append(axis)
            } catch let error as SweepError {
                Stderr.write("--sweep: \(error.description)\n")
                throw ExitCode.failure
            }
        }
        let showProgress = isatty(STDERR_FILENO) == 1
        var progress: (@Sendable (Int, Int) -> Void)?
        if showProgress {
            // Every run finishing is reported; a line on a terminal is cheap next to a run.
            progress = { @Sendable done, total in Stderr.write("\rsweep: \(done)/\(total) runs") }
        }
        let result = Sweep.run(spec: spec, trace: trace, settings: settings, axes: axes, progress: progress)
        if showProgress { Stderr.write("\r\u{1B}[K") }
        switch output {
        case .text: Stdout.write(result.text())
        case .json: Stdout.write(result.json())
        }
    }

    func loadTrace() throws -> Trace {
        guard let data = FileManager.default.contents(atPath: trace) else {
            Stderr.write("\(trace): cannot read the trace: \(FileManager.default.fileExists(atPath: trace) ? "permission denied" : "no such file")\n")
            throw ExitCode.failure
        }
        var parsed: Trace
        do {
            let name = URL(fileURLWithPath: trace).deletingPathExtension().lastPathComponent
            parsed = try Trace.parse(String(decoding: data, as: UTF8.self), file: trace, defaultName: name)
        } catch {
            Stderr.write(error.description + "\n")
            throw ExitCode.failure
        }
        var session = parsed.session
        if let sessionMean {
            session = SessionLength(meanSeconds: try duration(sessionMean, option: "--session-mean", allowZero: false, max: Self.longestSession).seconds,
                                    spreadSeconds: session?.spreadSeconds ?? 0)
        }
        if let sessionSpread {
            guard var known = session else {
                Stderr.write("--session-spread: give --session-mean too, or session_mean_minutes in \(trace)\n")
                throw ExitCode.failure
            }
            known.spreadSeconds = try duration(sessionSpread, option: "--session-spread", allowZero: true, max: Self.longestSession).seconds
            session = known
        }
        guard let session else {
            Stderr.write("\(trace): no session length: add '# session_mean_minutes: N' (and '# session_spread_minutes: N') to the trace, or pass --session-mean\n")
            throw ExitCode.failure
        }
        parsed.session = session
        return parsed
    }

    func simulationSettings() throws -> SimulationSettings {
        guard let rate = FailureRateText.parse(failureRate) else {
            Stderr.write("--failure-rate: expected failures per server-hour or -day, such as 0.001/h or 0.02/d, got '\(failureRate)'\n")
            throw ExitCode.failure
        }
        return SimulationSettings(
            seed: seed,
            startupDelay: try duration(startupDelay, option: "--startup-delay", allowZero: true, max: Self.longestStartup),
            startupJitter: try duration(startupJitter, option: "--startup-jitter", allowZero: true, max: Self.longestStartup),
            failuresPerServerHour: rate,
            warmUp: try duration(warmUp, option: "--warm-up", allowZero: true, max: Self.longestWarmUp),
            passDuration: try duration(passDuration, option: "--pass-duration", allowZero: true, max: FleetBounds.interval))
    }

    /// The longest `--startup-delay` and `--startup-jitter`: a day, as fleet.yaml's `startupGrace`.
    static let longestStartup = FleetBounds.startupGrace
    /// The longest `--warm-up`: a week.
    static let longestWarmUp: Duration = .seconds(7 * 86_400)
    /// The longest `--session-mean` and `--session-spread`: a week, as a trace's metadata.
    static let longestSession: Duration = .seconds(Int64(Trace.longestSessionMinutes) * 60)

    /// A duration option, or exit 1 naming the option, what it takes and its bound.
    func duration(_ text: String, option: String, allowZero: Bool, max longest: Duration) throws -> Duration {
        let reading = DurationText.read(text)
        guard case .duration(let duration) = reading, allowZero || duration > .zero else {
            if reading == .tooLong {
                Stderr.write("\(option): must be at most \(DurationText.format(longest)), got '\(text)'\n")
            } else {
                Stderr.write("\(option): expected a duration\(allowZero ? "" : " more than 0") such as 90s, 12m or 1h, got '\(text)'\n")
            }
            throw ExitCode.failure
        }
        guard duration <= longest else {
            Stderr.write("\(option): must be at most \(DurationText.format(longest)), got '\(text)'\n")
            throw ExitCode.failure
        }
        return duration
    }
}
