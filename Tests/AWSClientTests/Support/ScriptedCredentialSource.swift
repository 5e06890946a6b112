import AWSClient
import Synchronization

/// A credential source for cache tests: it counts lookups, can hold them until released, and
/// answers from a script.
final class ScriptedCredentialSource: CredentialSource {
    let name = "scripted"
    private let state: Mutex<(calls: Int, script: [Result<CredentialLookup, CredentialsError>])>
    private let gate: AsyncStream<Void>
    private let opener: AsyncStream<Void>.Continuation
    private let gated: Bool

    init(_ script: [Result<CredentialLookup, CredentialsError>], gated: Bool = false) {
        state = Mutex((0, script))
        (gate, opener) = AsyncStream.makeStream()
        self.gated = gated
    }

    var calls: Int { state.withLock { $0.calls } }

    /// Lets every held and future lookup through.
    func release() { opener.finish() }

    func lookUp() async throws -> CredentialLookup {
        let next = state.withLock { state -> Result<CredentialLookup, CredentialsError> in
            state.calls += 1
            return state.script.count > 1 ? state.script.removeFirst() : state.script[0]
        }
        if gated {
            for await _ in gate {}
        }
        return try next.get()
    }
}
