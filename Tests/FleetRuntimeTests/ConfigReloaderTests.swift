import FleetConfig
import FleetCore
import FleetRuntime
import Foundation
import Testing

@Suite("Live reload")
struct ConfigReloaderTests {
    static let yaml = """
        name: test
        provider: local
        gameserver: {capacity: 10}
        scaling: {upscaleMargin: 4, downscaleMargin: 18}
        listen: 127.0.0.1:8000
        local: {command: [gs, "{port}"]}

        """

    func withFile(_ body: (String, FleetState, ConfigReloader) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("fleet.yaml").path
        try Self.yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let spec = try FleetLoader.parse(Self.yaml, file: path)
        let state = FleetState(spec: spec, config: ConfigStatus(path: path, hash: contentHash(Array(Self.yaml.utf8)), loadedAt: t0),
                               metrics: FleetMetrics(), now: { t0 })
        try await body(path, state, ConfigReloader(path: path, fleet: state, environment: [:], logger: quietLogger(), now: { t0 }))
    }

    @Test func aValidChangeIsAdopted() async throws {
        try await withFile { path, state, reloader in
            try Self.yaml.replacingOccurrences(of: "upscaleMargin: 4, downscaleMargin: 18", with: "upscaleMargin: 8, downscaleMargin: 30")
                .write(toFile: path, atomically: true, encoding: .utf8)
            guard case .applied = await reloader.reload() else { Issue.record("not applied"); return }
            #expect(await state.spec.scaling.upscaleMargin == 8)
            #expect(await state.config.lastReloadErrors.isEmpty)
            #expect(await reloader.reload() == .unchanged)
        }
    }

    @Test func anInvalidFileIsRefusedAndTheOldSpecStays() async throws {
        try await withFile { path, state, reloader in
            try Self.yaml.replacingOccurrences(of: "capacity: 10", with: "capacity: ten").write(toFile: path, atomically: true, encoding: .utf8)
            let outcome = await reloader.reload()
            #expect(outcome == .refused(["\(path):3:24: gameserver.capacity: expected a whole number, got 'ten'"]))
            #expect(await state.spec.gameserver.capacity == 10)
            #expect(await state.config.lastReloadFailed)
            #expect(await state.metrics.render().contains(#"gamefleet_config_reloads_total{result="refused"} 1"#))
            // Reverting to the running file clears the refusal: it no longer applies.
            try Self.yaml.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(await reloader.reload() == .unchanged)
            #expect(await !state.config.lastReloadFailed)
        }
    }

    @Test func listenAndProviderChangesNeedARestart() async throws {
        try await withFile { path, state, reloader in
            try Self.yaml.replacingOccurrences(of: "listen: 127.0.0.1:8000", with: "listen: 127.0.0.1:9000")
                .replacingOccurrences(of: "upscaleMargin: 4", with: "upscaleMargin: 5")
                .write(toFile: path, atomically: true, encoding: .utf8)
            let outcome = await reloader.reload()
            #expect(outcome == .refused(["\(path): listen: changed from 127.0.0.1:8000 to 127.0.0.1:9000; the HTTP endpoint moves only on restart, so this file was not applied (restart gamefleet to apply it)"]))
            // Nothing of the file was half-applied.
            #expect(await state.spec.scaling.upscaleMargin == 4)
        }
    }

    /// A source that cannot be read is not a refused version: the running config stays, and the
    /// failure is shown as `config.readError` (not `lastReloadErrors`) until a read works again.
    @Test func aDeletedFileKeepsTheRunningConfigAndSaysSo() async throws {
        try await withFile { path, state, reloader in
            try FileManager.default.removeItem(atPath: path)
            #expect(await reloader.reload() == .unreadable("\(path): cannot read: no such file"))
            #expect(await state.spec.name == "test")
            #expect(await state.config.readError?.message == "\(path): cannot read: no such file")
            #expect(await state.config.readError?.failures == 1)
            #expect(await !state.config.lastReloadFailed)
            try Self.yaml.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(await reloader.reload() == .unchanged)
            #expect(await state.config.readError == nil)
        }
    }

    /// A field that names where the fleet lives, changed on a live reload.
    struct LocationChange: CustomTestStringConvertible, Sendable {
        var field: String
        var yaml: String
        var from: String
        var to: String
        var testDescription: String { field }
    }

    static let ecsYAML = """
        name: chess
        provider: ecs
        gameserver: {capacity: 10}
        scaling: {upscaleMargin: 4, downscaleMargin: 18}
        ecs: {region: ap-south-1, cluster: games, taskDefinition: "gs:3", gamePort: 8888, endpoint: "http://127.0.0.1:5000"}

        """

    static let locationChanges: [LocationChange] = [
        LocationChange(field: "name", yaml: ecsYAML, from: "name: chess", to: "name: chess2"),
        LocationChange(field: "ecs.cluster", yaml: ecsYAML, from: "cluster: games", to: "cluster: other"),
        LocationChange(field: "ecs.region", yaml: ecsYAML, from: "region: ap-south-1", to: "region: eu-west-1"),
        LocationChange(field: "ecs.endpoint", yaml: ecsYAML, from: "http://127.0.0.1:5000", to: "http://127.0.0.1:5001"),
        LocationChange(field: "ha", yaml: ecsYAML, from: "endpoint: \"http://127.0.0.1:5000\"}", to: "endpoint: \"http://127.0.0.1:5000\"}\nha: {table: leases}"),
        LocationChange(field: "ha", yaml: ecsYAML + "ha: {table: leases, leaseDuration: 15s}\n", from: "leaseDuration: 15s", to: "leaseDuration: 30s"),
        LocationChange(field: "name", yaml: yaml, from: "name: test", to: "name: renamed"),
        LocationChange(field: "local.host", yaml: yaml, from: "command: [gs, \"{port}\"]", to: "command: [gs, \"{port}\"], host: 127.0.0.2"),
        LocationChange(field: "local.stateFile", yaml: yaml, from: "command: [gs, \"{port}\"]", to: "command: [gs, \"{port}\"], stateFile: other.json"),
    ]

    /// Changing where the fleet lives would orphan its servers (a second fleet beside them) or be
    /// ignored while shown as active: the whole file is refused and the running spec stays.
    @Test(arguments: locationChanges)
    func aChangeOfWhereTheFleetLivesNeedsARestart(_ change: LocationChange) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("fleet.yaml").path
        let spec = try FleetLoader.parse(change.yaml, file: path)
        let state = FleetState(spec: spec, config: ConfigStatus(path: path, hash: contentHash(Array(change.yaml.utf8)), loadedAt: t0),
                               metrics: FleetMetrics(), now: { t0 })
        let reloader = ConfigReloader(path: path, fleet: state, environment: [:], logger: quietLogger(), now: { t0 })
        let edited = change.yaml.replacingOccurrences(of: change.from, with: change.to)
            .replacingOccurrences(of: "upscaleMargin: 4", with: "upscaleMargin: 5")
        #expect(edited != change.yaml)
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        guard case .refused(let errors) = await reloader.reload() else {
            Issue.record("a change of \(change.field) was applied live")
            return
        }
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("\(path): \(change.field): changed from ") == true)
        #expect(errors.first?.contains("restart gamefleet to apply it") == true)
        #expect(await state.spec == spec, "nothing of the refused file may be half-applied")
    }

    /// A reload that brings a secret tells the mask before the spec is used, so no log line shows it.
    @Test func aReloadedSecretIsMaskedFromThenOn() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gamefleet-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("fleet.yaml").path
        let spec = try FleetLoader.parse(Self.yaml, file: path)
        let state = FleetState(spec: spec, config: ConfigStatus(path: path, hash: contentHash(Array(Self.yaml.utf8)), loadedAt: t0),
                               metrics: FleetMetrics(), now: { t0 })
        let mask = SecretMask()
        let reloader = ConfigReloader(path: path, fleet: state, environment: ["GS_TOKEN": "hunter2-token"], logger: quietLogger(), mask: mask, now: { t0 })
        try Self.yaml.replacingOccurrences(of: "command: [gs, \"{port}\"]", with: "command: [gs, \"{port}\", \"${GS_TOKEN}\"]")
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(mask.redact("gs 7000 hunter2-token") == "gs 7000 hunter2-token")
        guard case .applied = await reloader.reload() else { Issue.record("not applied"); return }
        #expect(mask.redact("gs 7000 hunter2-token") == "gs 7000 ${GS_TOKEN}")
        #expect(await state.spec.taskDefinition == "local:gs {port} ${GS_TOKEN}")
    }
}
