import Foundation
import Glibc

/// Reads a child's stderr pipe without blocking the test forever: every read waits with poll(2)
/// and a deadline.
final class StderrReader {
    private let handle: FileHandle
    private var bytes: [UInt8] = []
    private var ended = false

    init(_ handle: FileHandle) {
        self.handle = handle
    }

    /// What has been read so far.
    var text: String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Reads until `fragment` appears; throws with what was read if the pipe ends or `limit` passes.
    /// Waits asleep between looks, so the wait holds no thread of the cooperative pool.
    func waitForLine(containing fragment: String, within limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        while true {
            readAvailable(within: .zero)
            if text.contains(fragment) { return }
            guard ContinuousClock.now < deadline, !ended else {
                throw TestFailure("sample-gameserver did not print '\(fragment)' within \(limit); stderr so far: \(text)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Reads whatever arrives within `limit`, returning at the first chunk or at EOF.
    func readAvailable(within limit: Duration) {
        guard !ended else { return }
        var watched = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&watched, 1, max(0, milliseconds)) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(handle.fileDescriptor, &buffer, buffer.count)
        if count <= 0 {
            ended = true
        } else {
            bytes += buffer[..<count]
        }
    }
}
