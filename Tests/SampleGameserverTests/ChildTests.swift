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
}
