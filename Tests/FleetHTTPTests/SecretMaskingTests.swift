import FleetCore
import FleetHTTP
import FleetRuntime
import Foundation
import HummingbirdTesting
import Logging
import Testing

@Suite("Secrets stay secret")
struct SecretMaskingTests {
    /// `/v1/fleet` shows observed servers, plans and errors; whatever path a secret takes into them
    /// (here a local command and a provider error echoing it), the body shows `${VAR}`.
    @Test func theFleetSnapshotShowsReferencesNotValues() async throws {
        var secretSpec = spec()
        secretSpec.local = LocalSpec(command: ["gs", "{port}", "--key", "pa\"ss/wörd-123"])
        var secrets = SecretValues()
        secrets.add(variable: "GS_KEY", value: "pa\"ss/wörd-123")
        secretSpec.secrets = secrets
        let (state, metrics) = await fleet([server("a", port: 7001, free: 3)], spec: secretSpec)
        await state.passFailed("cannot run gs --key pa\"ss/wörd-123: denied", at: probeTime)
        try await adminApp(state, metrics).test(.router) { client in
            try await client.execute(uri: "/v1/fleet", method: .get) { response in
                let body = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(!body.contains("wörd"), "the snapshot shows the secret: \(body)")
                #expect(body.contains("${GS_KEY}"))
                #expect((try? JSONSerialization.jsonObject(with: Data(body.utf8))) != nil, "still valid JSON")
            }
        }
    }

    /// Log lines and their metadata go through the mask.
    @Test func logLinesAreMasked() {
        let lines = LogLines()
        let mask = SecretMask()
        var secrets = SecretValues()
        secrets.add(variable: "TOKEN", value: "tok-123456")
        mask.add(secrets)
        let logger = Logger(label: "test") { _ in RedactingLogHandler(wrapping: CapturingHandler(lines: lines), mask: mask) }
        logger.info("started gs --token tok-123456", metadata: ["argv": .array([.string("tok-123456")])])
        #expect(lines.all == [#"started gs --token ${TOKEN} ["${TOKEN}"]"#])
    }
}

final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

struct CapturingHandler: LogHandler {
    let lines: LogLines
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        let values = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.value)" }
        lines.append(event.message.description + (values.isEmpty ? "" : " " + values.joined(separator: " ")))
    }
}
