import FleetCore
import Synchronization

/// The running config's secrets (``SecretValues``), shared by everything that writes text a person
/// may read: the log handler, the command line's output, the reloader that swaps them.
///
/// A reload that brings new values replaces the set; the old values are no longer masked once no
/// server runs with them (a local gameserver keeps its command line until it is replaced).
public final class SecretMask: Sendable {
    private let values: Mutex<SecretValues>

    public init(_ secrets: SecretValues = SecretValues()) {
        values = Mutex(secrets)
    }

    /// Masks `secrets` from now on, beside the ones already known (a reload must not unmask the
    /// values the running gameservers were started with).
    public func add(_ secrets: SecretValues) {
        values.withLock { current in
            for entry in secrets.entries { current.add(variable: entry.variable, value: entry.value) }
        }
    }

    /// `text` with every known secret replaced by its `${VAR}` reference.
    public func redact(_ text: String) -> String {
        let secrets = values.withLock { $0 }
        return secrets.redact(text)
    }
}
