import Glibc

/// A failed system call: which call, and the `errno` it left.
struct SystemCallError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The call that failed, as in `bind` or `poll`.
    var call: String
    /// The `errno` value right after the failure.
    var code: Int32

    /// Captures `errno` now, so call this straight after the failing call.
    init(_ call: String, code: Int32 = errno) {
        self.call = call
        self.code = code
    }

    /// `bind: Address already in use`: the call and the C library's text for the error.
    var description: String {
        "\(call): \(String(cString: strerror(code)))"
    }
}
