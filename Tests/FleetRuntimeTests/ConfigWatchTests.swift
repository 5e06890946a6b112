import FleetConfig
import FleetCore
import FleetRuntime
import Foundation
import Synchronization
import Testing

/// The config watcher on a virtual clock, against a scripted source that behaves like an SSM
/// parameter (a version number; an unchanged version is not sent again): a new version is taken
/// within one poll, a refused one is judged once and the old config kept, an unreadable source
/// keeps the fleet on the running config and is read again with a growing pause, and SIGHUP
/// reads at once.
@Suite("Config watcher: polling a source, backoff, SIGHUP")
struct ConfigWatchTests {
    static func yaml(upscale: Int) -> String {
        ConfigReloaderTests.yaml.replacingOccurrences(of: "upscaleMargin: 4, downscaleMargin: 18", with: "upscaleMargin: \(upscale), downscaleMargin: 30")
    }

    /// What the source holds from a time on.
    enum Holding: Sendable {
        case version(String, String)
        case unreadable(String)
    }

    /// One fetch: when (virtual seconds), the version it was asked to skip, and what the running
    /// config looked like at that moment.
    struct Fetch: Sendable, Equatable {
        var at: Double
        var known: String?
        var runningVersion: String?
        var readFailures: Int
    }

    /// A source following a timeline on the virtual clock.
    final class ScriptedSource: ConfigSource, Sendable {
        let clock: VirtualClock
        let timeline: Mutex<[(from: Double, holding: Holding)]>
        let fetches = Mutex<[Fetch]>([])
        let fleet: Mutex<FleetState?> = Mutex(nil)
        var location: ConfigLocation { .ssm(name: "/gf/test") }

        init(clock: VirtualClock, timeline: [(from: Double, holding: Holding)]) {
            self.clock = clock
            self.timeline = Mutex(timeline)
        }

        func fetch(unlessVersion known: String?) async throws(ConfigSourceError) -> ConfigDocument? {
            let now = clock.now.offset.seconds
            let holding = timeline.withLock { $0.last { $0.from <= now }!.holding }
            if let fleet = fleet.withLock({ $0 }) {
                let config = await fleet.config
                fetches.withLock { $0.append(Fetch(at: now, known: known, runningVersion: config.version, readFailures: config.readError?.failures ?? 0)) }
            }
            switch holding {
            case .unreadable(let reason):
                throw ConfigSourceError(location: location, reason: reason)
            case .version(let version, let text):
                return version == known ? nil : ConfigDocument(bytes: Array(text.utf8), version: version)
            }
        }
    }

    static func start(_ source: ScriptedSource, clock: VirtualClock, poll: Duration) throws -> (FleetState, ConfigWatchService, Task<Void, any Error>) {
        let text = Self.yaml(upscale: 4)
        let spec = try FleetLoader.parse(text, file: "ssm:/gf/test")
        let state = FleetState(spec: spec, config: ConfigStatus(path: "ssm:/gf/test", hash: contentHash(Array(text.utf8)), loadedAt: t0, source: "ssm", version: "1"),
                               metrics: FleetMetrics(), now: { clock.date })
        source.fleet.withLock { $0 = state }
        let reloader = ConfigReloader(source: source, fleet: state, environment: [:], anchor: "/tmp/fleet.yaml", logger: quietLogger(), now: { clock.date })
        // Jitter 1: each backoff is its full length, so the schedule is exact.
        let service = ConfigWatchService(reloader: reloader, clock: clock, pollInterval: poll, watchSignals: false, jitter: { 1 }, logger: quietLogger())
        return (state, service, Task { try await service.run() })
    }

    /// Waits (real time, generous) until the loop has parked at the clock's horizon.
    static func untilParked(_ clock: VirtualClock) async throws {
        let deadline = ContinuousClock.now + .seconds(300)
        while clock.now.offset < clock.horizon, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
        #expect(clock.now.offset >= clock.horizon, "the watcher never reached the horizon")
    }

    @Test("A new version is adopted at the first poll after it appears; a refused one is judged once; a deleted source backs off and keeps the fleet on its config")
    func timeline() async throws {
        let clock = VirtualClock(origin: t0, horizon: .seconds(700))
        let source = ScriptedSource(clock: clock, timeline: [
            (0, .version("1", Self.yaml(upscale: 4))),
            (45, .version("2", Self.yaml(upscale: 8))),
            (105, .version("3", Self.yaml(upscale: 9).replacingOccurrences(of: "capacity: 10", with: "capacity: ten"))),
            (165, .unreadable("ssm GetParameter failed after 1 attempt: HTTP 400 ParameterNotFound: Parameter /gf/test not found.")),
            (400, .version("4", Self.yaml(upscale: 7))),
        ])
        let (state, _, loop) = try Self.start(source, clock: clock, poll: .seconds(30))
        try await Self.untilParked(clock)
        loop.cancel()
        _ = try? await loop.value

        let fetches = source.fetches.withLock { $0 }
        // Polls every 30 s; after the first failed read at 180 the pause doubles from 60 s
        // (60, 120, 240), then polls resume at 30 s once a read works.
        #expect(fetches.map(\.at) == [30, 60, 90, 120, 150, 180, 240, 360, 600, 630, 660, 690], "\(fetches)")
        // Version 2 (appeared at 45) ran from the poll at 60; version 3 was refused and version 2 kept.
        #expect(fetches.first { $0.at == 90 }?.runningVersion == "2")
        #expect(fetches.first { $0.at == 150 }?.runningVersion == "2")
        // Each poll skips the version last judged, refused ones included: 3 is parsed once.
        #expect(fetches.first { $0.at == 150 }?.known == "3")
        let metrics = await state.metrics.render()
        #expect(metrics.contains(#"gamefleet_config_reloads_total{result="refused"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"gamefleet_config_reloads_total{result="applied"} 2"#), "\(metrics)")
        // While the parameter was gone, the fleet ran on version 2 and the failures were counted.
        #expect(fetches.filter { (180...600).contains($0.at) }.map(\.readFailures) == [0, 1, 2, 3])
        #expect(fetches.filter { (180...600).contains($0.at) }.allSatisfy { $0.runningVersion == "2" })
        // Version 4 is running and the read error is gone.
        #expect(await state.config.version == "4")
        #expect(await state.spec.scaling.upscaleMargin == 7)
        #expect(await state.config.readError == nil)
        #expect(await state.config.source == "ssm")
    }

    @Test("While the source is unreadable, /v1/fleet's config.readError names it, counts the failures and gives the next read")
    func readErrorIsShown() async throws {
        let clock = VirtualClock(origin: t0, horizon: .seconds(200))
        let source = ScriptedSource(clock: clock, timeline: [
            (0, .unreadable("ssm GetParameter failed after 3 attempts: HTTP 400 ThrottlingException: Rate exceeded")),
        ])
        let (state, _, loop) = try Self.start(source, clock: clock, poll: .seconds(30))
        try await Self.untilParked(clock)
        loop.cancel()
        _ = try? await loop.value
        // Reads at 30, 90 (30 + 60), 210 would be next: past the horizon.
        #expect(source.fetches.withLock { $0 }.map(\.at) == [30, 90])
        let error = try #require(await state.config.readError)
        #expect(error.message == "ssm:/gf/test: cannot read: ssm GetParameter failed after 3 attempts: HTTP 400 ThrottlingException: Rate exceeded")
        #expect(error.failures == 2)
        #expect(error.since == t0.addingTimeInterval(30))
        #expect(error.nextAttemptAt == t0.addingTimeInterval(90 + 120))
        #expect(await state.config.version == "1")
        #expect(await !state.config.lastReloadFailed)
    }

    @Test("SIGHUP (the wake) reads at once and judges the current version again, even one refused before")
    func wakeReadsAtOnce() async throws {
        let clock = VirtualClock(origin: t0, horizon: .seconds(100))
        let broken = Self.yaml(upscale: 9).replacingOccurrences(of: "capacity: 10", with: "capacity: ten")
        let source = ScriptedSource(clock: clock, timeline: [(0, .version("2", broken))])
        let (state, service, loop) = try Self.start(source, clock: clock, poll: .seconds(30))
        defer { loop.cancel() }
        try await Self.untilParked(clock)
        #expect(await state.metrics.render().contains(#"gamefleet_config_reloads_total{result="refused"} 1"#))
        source.timeline.withLock { $0.append((0, .version("3", Self.yaml(upscale: 6)))) }
        service.wake.pull()
        let deadline = ContinuousClock.now + .seconds(60)
        while await state.config.version != "3", ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(await state.config.version == "3")
        #expect(await state.spec.scaling.upscaleMargin == 6)
        let last = try #require(source.fetches.withLock { $0.last })
        #expect(last.known == nil && last.at == 100)
    }

    @Test("The pause after n failed reads: the poll interval doubled n times, capped at ten intervals")
    func pauses() throws {
        let clock = VirtualClock(origin: t0)
        let source = ScriptedSource(clock: clock, timeline: [(0, .version("1", Self.yaml(upscale: 4)))])
        let spec = try FleetLoader.parse(Self.yaml(upscale: 4))
        let state = FleetState(spec: spec, config: ConfigStatus(path: "x", hash: "h", loadedAt: t0), metrics: FleetMetrics())
        let reloader = ConfigReloader(source: source, fleet: state, environment: [:], anchor: "/tmp/f.yaml", logger: quietLogger())
        let full = ConfigWatchService(reloader: reloader, pollInterval: .seconds(30), watchSignals: false, jitter: { 1 }, logger: quietLogger())
        #expect((0...6).map { full.pause(afterFailures: $0) } == [30, 60, 120, 240, 300, 300, 300].map { Duration.seconds($0) })
        let half = ConfigWatchService(reloader: reloader, pollInterval: .seconds(30), watchSignals: false, jitter: { 0 }, logger: quietLogger())
        #expect(half.pause(afterFailures: 1) == .seconds(30), "the random half may be zero, never less than one interval")
    }
}
