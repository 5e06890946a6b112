import Foundation

/// The fleet.yaml one end-to-end test runs `gamefleet serve` with: fast passes, small gameservers,
/// the test's own ports, and the `sample-gameserver` built beside the test bundle.
///
/// The defaults keep a test short: a pass every 400 ms, probes bounded by 200 ms, four slots per
/// gameserver and margins 2..7 (the gap, 5, exceeds the capacity as the loader requires).
/// A server killed outright is still replaced at once: its exit is seen, no probe has to fail.
struct FleetFile {
    var capacity = 4
    var interval = "400ms"
    var timeout = "200ms"
    /// 3 rather than the default 2: on a busy shared machine two slow probes in a row are not rare,
    /// and a server replaced for that would change the counts the tests assert.
    var failureThreshold = 3
    var startupGrace = "5s"
    var upscaleMargin = 2
    var downscaleMargin = 7
    var minServers = 1
    var maxServers = 4
    var maxLaunchesPerPass = 2
    /// The public face's port on 127.0.0.1.
    var listenPort: Int
    /// The admin face's port on 127.0.0.1.
    var adminPort: Int
    /// Ports handed to gameservers, on 127.0.0.1.
    var gameserverPorts: ClosedRange<Int>
    /// Absolute path of the `sample-gameserver` binary.
    var gameserverBinary: String
    /// `local.command` in place of the sample gameserver's, when a test needs another gameserver.
    var command: [String]?
    /// `health.port`: every probe goes there instead of the game port (null: the game port).
    var healthPort: Int?

    init(ports: PortBlock, gameserverBinary: String) {
        listenPort = ports.listen
        adminPort = ports.admin
        gameserverPorts = ports.gameservers
        self.gameserverBinary = gameserverBinary
    }

    /// The file's text.
    var yaml: String {
        """
        # Written by ServeEndToEndTests.
        name: e2e
        provider: local
        gameserver:
          capacity: \(capacity)
          health:
            path: /health/
            port: \(healthPort.map(String.init) ?? "null")
            interval: \(interval)
            timeout: \(timeout)
            failureThreshold: \(failureThreshold)
            startupGrace: \(startupGrace)
        scaling:
          upscaleMargin: \(upscaleMargin)
          downscaleMargin: \(downscaleMargin)
          minServers: \(minServers)
          maxServers: \(maxServers)
          maxLaunchesPerPass: \(maxLaunchesPerPass)
        allocation:
          strategy: packed
          backup: null
        listen: 127.0.0.1:\(listenPort)
        admin:
          listen: 127.0.0.1:\(adminPort)
        local:
          command: [\((command ?? [gameserverBinary, "--port", "{port}", "--capacity", "{capacity}"]).map(Self.quoted).joined(separator: ", "))]
          host: 127.0.0.1
          ports: \(gameserverPorts.lowerBound)-\(gameserverPorts.upperBound)

        """
    }

    /// A YAML double-quoted scalar (JSON string syntax, which YAML accepts).
    static func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
    }
}
