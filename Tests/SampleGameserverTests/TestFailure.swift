/// A failure of the test's own plumbing (a socket, a process), with a message saying what broke.
struct TestFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
