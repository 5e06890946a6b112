/// The command line of `sample-gameserver`, parsed by hand so the executable needs no dependency.
struct LaunchOptions: Equatable, Sendable {
    /// TCP port to listen on. 0 lets the kernel pick one; the listening line then names the real port.
    var port: Int
    /// Players the server is sized for. Players above it are still accepted and counted; the
    /// health report then shows 0 free slots. 0 is allowed: such a server never has a free slot.
    var capacity: Int
    /// Address to listen on: an IPv4 or IPv6 literal, or a name the resolver knows (`localhost`).
    var host = "127.0.0.1"
    /// Optional label, shown in the log lines so a parent running many servers can tell them apart.
    var name: String?

    /// Printed on `--help` (to stdout) and after any bad argument (to stderr).
    static let usage = """
        usage: sample-gameserver --port P --capacity C [--host ADDRESS] [--name NAME]

          --port P        TCP port to listen on (0-65535; 0 picks a free one)
          --capacity C    players the server is sized for (0 or more)
          --host ADDRESS  address to listen on (default 127.0.0.1)
          --name NAME     label for the log lines
          -h, --help      print this and exit

        Every connection counts as a player until it closes, except `GET /health/` probes, which
        get {"available_capacity": N, "ready_to_close": B}. SIGTERM or SIGINT stops the server.

        """

    /// Parses the arguments after the program name. Each option takes its value as the next
    /// argument or after `=` (`--port=7000`). Returns nil when help was asked for.
    /// Throws on an unknown or repeated option, a missing value, or a value out of range;
    /// `--port` and `--capacity` are required.
    static func parse(_ arguments: [String]) throws(UsageError) -> LaunchOptions? {
        var values: [String: String] = [:]
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "-h" || argument == "--help" {
                return nil
            }
            var option = argument
            var value: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                option = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            guard ["--port", "--capacity", "--host", "--name"].contains(option) else {
                throw UsageError("unknown argument '\(argument)'")
            }
            guard values[option] == nil else {
                throw UsageError("\(option) given more than once")
            }
            if value == nil {
                value = remaining.popFirst()
            }
            guard let value, !value.isEmpty else {
                throw UsageError("\(option) needs a value")
            }
            values[option] = value
        }

        guard let portText = values["--port"] else { throw UsageError("--port is required") }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw UsageError("--port must be a number from 0 to 65535, not '\(portText)'")
        }
        guard let capacityText = values["--capacity"] else { throw UsageError("--capacity is required") }
        guard let capacity = Int(capacityText), capacity >= 0 else {
            throw UsageError("--capacity must be a whole number, 0 or more, not '\(capacityText)'")
        }
        var options = LaunchOptions(port: port, capacity: capacity)
        options.host = values["--host"] ?? options.host
        options.name = values["--name"]
        return options
    }
}

/// A command line that cannot be run; `message` says which argument is wrong.
struct UsageError: Error, Equatable, Sendable {
    /// One line naming the argument at fault, without the usage text.
    var message: String

    init(_ message: String) {
        self.message = message
    }
}
