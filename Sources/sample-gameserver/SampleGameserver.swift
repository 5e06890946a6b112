import Glibc

/// `sample-gameserver`: a stand-in gameserver for gamefleet's `local` provider and its tests.
///
/// It speaks the contract real gameservers implement: every TCP connection is a player until it
/// closes, and `GET /health/` answers `{"available_capacity": N, "ready_to_close": B}`.
/// Exit status: 0 after SIGTERM or SIGINT, 1 when it cannot listen or poll, 2 for a bad command line.
@main
enum SampleGameserver {
    static func main() {
        let options: LaunchOptions
        do throws(UsageError) {
            guard let parsed = try LaunchOptions.parse(Array(CommandLine.arguments.dropFirst())) else {
                print(LaunchOptions.usage, terminator: "")
                exit(0)
            }
            options = parsed
        } catch {
            fail(error.message, usage: true)
        }
        let suffix = options.name.map { " (name \($0))" } ?? ""

        let shutdown: ShutdownSignal
        do throws(SystemCallError) {
            shutdown = try ShutdownSignal.install()
        } catch {
            fail("cannot set up signal handling: \(error)")
        }

        let listener: ListeningSocket
        do throws(ListenError) {
            listener = try ListeningSocket.open(host: options.host, port: options.port)
        } catch {
            if case .unknownHost = error {
                fail(error.description, usage: true)
            }
            fail(error.description)
        }
        // A parent process waits for this exact line before it treats the server as ready.
        log("sample-gameserver listening on \(listener.address) capacity \(options.capacity)\(suffix)")

        var server = Gameserver(capacity: options.capacity, listener: listener, shutdown: shutdown)
        do throws(SystemCallError) {
            let stop = try server.run()
            log("sample-gameserver stopped on \(ShutdownSignal.name(of: stop.signal)) with \(stop.players) players connected\(suffix)")
            exit(0)
        } catch {
            fail("event loop failed: \(error)")
        }
    }

    /// Writes `line` and a newline to stderr straight away, unbuffered, so a parent reading the
    /// pipe sees it even if the process is killed right after.
    static func log(_ line: String) {
        var bytes = Array((line + "\n").utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written > 0 {
                bytes = bytes.dropFirst(written)
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }

    /// Logs `message` (and the usage text for a bad command line) and exits with 2 for a bad
    /// command line, 1 otherwise.
    private static func fail(_ message: String, usage: Bool = false) -> Never {
        log("sample-gameserver: \(message)")
        if usage {
            log(LaunchOptions.usage.trimmingSuffix("\n"))
        }
        exit(usage ? 2 : 1)
    }
}

extension String {
    /// The string without any trailing copies of `character`.
    fileprivate func trimmingSuffix(_ character: Character) -> String {
        var copy = self
        while copy.last == character {
            copy.removeLast()
        }
        return copy
    }
}
