// Config/: where fleet.yaml comes from and how versions of it relate: a file, ssm: or s3://
// (ConfigLocation, ConfigSource), what a reload changes (ConfigChange), whether replicas run the same
// bytes (ConfigAgreement), and the preflight's judgement of what fleet.yaml names in AWS (Preflight).

/// Where the running service reads fleet.yaml from, again and again: a file, an SSM parameter or an
/// S3 object (see ``ConfigLocation``). The reloader takes what it reads through exactly the rules
/// of a file reload, whatever the source.
public protocol ConfigSource: Sendable {
    /// Where this source reads.
    var location: ConfigLocation { get }

    /// Reads the document, or answers nil when it is still at `known` (the version of the last
    /// read: an S3 object's entity tag, sent as `If-None-Match`; a parameter's version number).
    /// With `known` nil it always reads. A source without versions (a file) always reads.
    /// - Throws: ``ConfigSourceError`` naming the source and the failed request (deleted,
    ///   throttled, access denied, unreachable); the caller keeps the running config.
    func fetch(unlessVersion known: String?) async throws(ConfigSourceError) -> ConfigDocument?
}

/// One version of fleet.yaml as a source gave it.
public struct ConfigDocument: Sendable, Equatable {
    /// The bytes, parsed as YAML.
    public var bytes: [UInt8]
    /// The source's version: an SSM parameter's number (`"7"`), an S3 object's entity tag without
    /// quotes; nil for a file (a file is told apart by the hash of its bytes).
    public var version: String?

    public init(bytes: [UInt8], version: String?) {
        self.bytes = bytes
        self.version = version
    }
}

/// A source that could not be read.
public struct ConfigSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source, as `--config` names it.
    public var location: ConfigLocation
    /// What failed, naming the request (e.g. `ssm GetParameter failed after 1 attempt: HTTP 400
    /// ParameterNotFound: …`).
    public var reason: String

    public init(location: ConfigLocation, reason: String) {
        self.location = location
        self.reason = reason
    }

    /// E.g. `ssm:/gamefleet/chess: cannot read: ssm GetParameter failed …`.
    public var description: String { "\(location): cannot read: \(reason)" }
}
