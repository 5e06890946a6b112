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

    @Test func aDeletedFileIsRefused() async throws {
        try await withFile { path, state, reloader in
            try FileManager.default.removeItem(atPath: path)
            #expect(await reloader.reload() == .refused(["\(path): cannot read the file"]))
            #expect(await state.spec.name == "test")
        }
    }
}
