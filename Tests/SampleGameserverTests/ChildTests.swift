import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing

/// Children the tests start inherit no descriptor of the test process: not even one another thread
/// opens while the child starts (Foundation's `Process` lets those through; see ``Child``).
@Suite("Test support: children inherit nothing")
struct ChildTests {
    @Test("20 children started while another thread opens and closes sockets: none reaches a child")
    func nothingIsInherited() async throws {
        let stop = Atomic<Bool>(false)
        let opener = Thread {
            var held: [Int32] = []
            while !stop.load(ordering: .relaxed) {
                held.append(socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0))
                if held.count > 200 { for fd in held { close(fd) }; held = [] }
            }
            for fd in held { close(fd) }
        }
        opener.start()
        defer { stop.store(true, ordering: .relaxed) }
        var inherited: [String] = []
        for _ in 0..<20 {
            let child = try Child.start("/bin/sleep", ["2"])
            // The child's table as the kernel shows it, while it sleeps.
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(child.processIdentifier)/fd")) ?? []
            // Sockets only: sleep opens files of its own (its locale) once it runs.
            for fd in fds {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(child.processIdentifier)/fd/\(fd)")) ?? ""
                if target.hasPrefix("socket:") { inherited.append("\(fd) → \(target)") }
            }
            child.send(SIGKILL)
            #expect(await child.waitForExit(within: .seconds(30)))
            #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL)
        }
        #expect(inherited.isEmpty, "descriptors children inherited: \(inherited.prefix(10))")
    }

    @Test("Exit status, stdout to a file, stderr through a pipe")
    func statusAndOutput() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let child = try Child.start("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], stdout: .file(log), stderr: .pipe)
        #expect(await child.waitForExit(within: .seconds(30)))
        #expect(child.exitStatus == 3)
        #expect(child.terminationReason == .exit)
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "out\n")
        #expect(String(decoding: child.standardError?.readDataToEndOfFile() ?? Data(), as: UTF8.self) == "err\n")
    }

    /// A moto that exits at once (here: its port taken) must end the shell watching it, so the
    /// launcher reports moto's own output instead of polling a port some other server answers on.
    @Test("When moto exits by itself, its watching shell exits too; the lifeline still kills a running one")
    func motoShellFollowsMoto() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("child-moto-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let failing = directory + "/failing-moto"
        try "#!/bin/sh\necho \"address already in use: port $4\"\nexit 1\n".write(toFile: failing, atomically: true, encoding: .utf8)
        let sleeping = directory + "/sleeping-moto"
        try "#!/bin/sh\necho $$ > \"$(dirname \"$0\")/pid\"\nexec sleep 600\n".write(toFile: sleeping, atomically: true, encoding: .utf8)
        for file in [failing, sleeping] { chmod(file, 0o755) }

        let gone = try Child.moto(executable: failing, port: 1, log: directory + "/failing.log")
        #expect(await gone.waitForExit(within: .seconds(60)), "the shell outlived the moto it watches")
        #expect(try String(contentsOfFile: directory + "/failing.log", encoding: .utf8).contains("address already in use: port 1"))

        let running = try Child.moto(executable: sleeping, port: 1, log: directory + "/sleeping.log")
        var pid: pid_t?
        let deadline = ContinuousClock.now + .seconds(60)
        while pid == nil, ContinuousClock.now < deadline {
            pid = (try? String(contentsOfFile: directory + "/pid", encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if pid == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let moto = try #require(pid)
        #expect(running.isRunning, "the shell ended while its moto runs")
        #expect(kill(moto, 0) == 0)
        try running.standardInput?.close()  // the lifeline: what the test process's exit does
        #expect(await running.waitForExit(within: .seconds(60)))
        var alive = true
        let killDeadline = ContinuousClock.now + .seconds(60)
        while alive, ContinuousClock.now < killDeadline {
            alive = kill(moto, 0) == 0
            if alive { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(!alive, "moto outlived its lifeline")
    }
}
