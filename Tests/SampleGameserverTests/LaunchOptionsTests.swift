import Testing
@testable import sample_gameserver

/// Parsing the command line, without starting a process.
@Suite("parsing the command line")
struct LaunchOptionsTests {
    @Test("accepts the documented forms")
    func accepts() throws {
        #expect(try LaunchOptions.parse(["--port", "7000", "--capacity", "4"])
            == LaunchOptions(port: 7000, capacity: 4))
        #expect(try LaunchOptions.parse(["--capacity=0", "--port=0", "--host", "::1", "--name", "eu-1"])
            == LaunchOptions(port: 0, capacity: 0, host: "::1", name: "eu-1"))
        #expect(try LaunchOptions.parse(["--port", "7000", "--help"]) == nil)
    }

    @Test("refuses bad command lines, naming the argument", arguments: [
        ([], "--port is required"),
        (["--port", "1"], "--capacity is required"),
        (["--port", "-3", "--capacity", "1"], "--port must be"),
        (["--port", "1", "--capacity", "x"], "--capacity must be"),
        (["--port", "1", "--capacity", "1", "--verbose"], "unknown argument '--verbose'"),
        (["--port", "1", "--capacity", "1", "--name"], "--name needs a value"),
        (["--port", "1", "--capacity", "1", "--host="], "--host needs a value"),
        (["--port", "1", "--capacity", "1", "--capacity", "2"], "--capacity given more than once"),
    ])
    func refuses(arguments: [String], messageStart: String) {
        #expect {
            _ = try LaunchOptions.parse(arguments)
        } throws: { error in
            (error as? UsageError)?.message.hasPrefix(messageStart) == true
        }
    }
}
