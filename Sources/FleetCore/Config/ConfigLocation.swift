/// Where fleet.yaml is kept, as `--config` names it: a file path, `ssm:NAME` (an AWS Systems
/// Manager parameter) or `s3://BUCKET/KEY` (an S3 object).
///
/// The same text names the source in every message (`ssm:/gamefleet/chess: gameserver.capacity: …`),
/// in `/v1/fleet`'s `config.source` and in `gamefleet_config_info{source=…}`.
public enum ConfigLocation: Sendable, Equatable, CustomStringConvertible {
    /// A file on this machine, relative to the working directory or absolute.
    case file(String)
    /// A Parameter Store parameter, by name (`/gamefleet/chess/fleet.yaml`) or ARN.
    case ssm(name: String)
    /// An S3 object.
    case s3(bucket: String, key: String)

    /// Why `--config` (or `--to`) text was refused.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var text: String
        public var reason: String
        public var description: String { "\(text): \(reason)" }
    }

    /// Reads `--config` text. Anything not starting with `ssm:` or `s3://` is a file path.
    /// - Throws: ``Invalid`` for `ssm:` without a name, `s3://` without a bucket or key, and the
    ///   near misses `ssm://…` and `s3:/…`, naming the form expected.
    public init(parsing text: String) throws(Invalid) {
        if text.hasPrefix("ssm:") {
            let name = String(text.dropFirst(4))
            if name.hasPrefix("//") {
                throw Invalid(text: text, reason: "an SSM parameter is written ssm:NAME (e.g. ssm:/gamefleet/fleet.yaml), without //")
            }
            guard !name.isEmpty, !name.contains(where: \.isWhitespace) else {
                throw Invalid(text: text, reason: "expected ssm:NAME with a parameter name without spaces, e.g. ssm:/gamefleet/fleet.yaml")
            }
            self = .ssm(name: name)
        } else if text.hasPrefix("s3://") {
            let rest = text.dropFirst(5)
            guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex, rest.index(after: slash) != rest.endIndex else {
                throw Invalid(text: text, reason: "expected s3://BUCKET/KEY with both a bucket and a key, e.g. s3://my-fleets/chess/fleet.yaml")
            }
            self = .s3(bucket: String(rest[..<slash]), key: String(rest[rest.index(after: slash)...]))
        } else if text.hasPrefix("s3:") {
            throw Invalid(text: text, reason: "an S3 object is written s3://BUCKET/KEY")
        } else {
            guard !text.isEmpty else { throw Invalid(text: text, reason: "empty path; give a file, ssm:NAME or s3://BUCKET/KEY") }
            self = .file(text)
        }
    }

    /// The text `--config` takes for this location.
    public var description: String {
        switch self {
        case .file(let path): return path
        case .ssm(let name): return "ssm:\(name)"
        case .s3(let bucket, let key): return "s3://\(bucket)/\(key)"
        }
    }

    /// `file`, `ssm` or `s3`: what `/v1/fleet` shows as `config.source`.
    public var kind: String {
        switch self {
        case .file: return "file"
        case .ssm: return "ssm"
        case .s3: return "s3"
        }
    }

    /// Whether the config lives in AWS (read with the credential chain and polled) rather than on disk.
    public var isRemote: Bool {
        if case .file = self { return false }
        return true
    }

    /// The path that relative file names in fleet.yaml (`admin.tokenFile`, `local.stateFile`) are
    /// resolved against as "the fleet file": the file itself, or, for a config kept in AWS, a
    /// `fleet.yaml` in the working directory (there is no directory of the source to use).
    public func anchorPath(workingDirectory: String) -> String {
        switch self {
        case .file(let path): return path
        case .ssm, .s3: return (workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/") + "fleet.yaml"
        }
    }
}
