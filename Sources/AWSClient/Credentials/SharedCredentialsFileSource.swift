import AWSSigV4
import Foundation

/// Credentials from a profile of the shared credentials file, `~/.aws/credentials`.
///
/// The file is `AWS_SHARED_CREDENTIALS_FILE` when set (a leading `~/` meaning the home
/// directory), else `.aws/credentials` in the home directory; the profile is `AWS_PROFILE`, or
/// `default`. Only static keys are read (`aws_access_key_id`, `aws_secret_access_key`,
/// `aws_session_token`); profiles that assume roles or use SSO are reported as having no keys.
public struct SharedCredentialsFileSource: CredentialSource {
    /// `shared credentials file`.
    public let name = "shared credentials file"
    private let environment: [String: String]
    private let homeDirectory: String?

    /// Creates a source.
    /// - Parameters:
    ///   - environment: the variables to read `AWS_SHARED_CREDENTIALS_FILE` and `AWS_PROFILE` from.
    ///   - homeDirectory: the home directory; `nil` (the default) means `HOME` from `environment`.
    public init(environment: [String: String], homeDirectory: String? = nil) {
        self.environment = environment
        self.homeDirectory = homeDirectory ?? environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The file this source reads, or `nil` when neither the variable nor a home directory
    /// says where it is.
    public var path: String? {
        if let configured = environment["AWS_SHARED_CREDENTIALS_FILE"], !configured.isEmpty {
            if configured.hasPrefix("~/"), let homeDirectory {
                return homeDirectory + configured.dropFirst()
            }
            return configured
        }
        return homeDirectory.map { $0 + "/.aws/credentials" }
    }

    /// The profile this source reads.
    public var profile: String {
        environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    }

    /// Reads the profile's keys.
    ///
    /// A missing file, a missing profile or a profile without keys is "not found"; a profile
    /// with a key id but no secret (or the reverse), or a file that exists but cannot be read,
    /// is an error.
    public func lookUp() async throws -> CredentialLookup {
        guard let path else {
            return .notFound("neither AWS_SHARED_CREDENTIALS_FILE nor HOME is set")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            return .notFound("\(path) does not exist")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CredentialsError.sourceFailed(source: name, reason: "\(path) cannot be read")
        }
        let profiles = Self.profiles(in: String(decoding: data, as: UTF8.self))
        guard let values = profiles[profile] else {
            return .notFound("no [\(profile)] profile in \(path)")
        }
        let keyID = values["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = values["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
        switch (keyID, secret) {
        case (nil, nil):
            return .notFound("profile \(profile) in \(path) has no aws_access_key_id")
        case (.some, nil):
            throw CredentialsError.sourceFailed(source: name, reason: "profile \(profile) in \(path) has aws_access_key_id but no aws_secret_access_key")
        case (nil, .some):
            throw CredentialsError.sourceFailed(source: name, reason: "profile \(profile) in \(path) has aws_secret_access_key but no aws_access_key_id")
        case (.some(let keyID), .some(let secret)):
            // `aws_security_token` is the older name some tools still write.
            let token = (values["aws_session_token"] ?? values["aws_security_token"]).flatMap { $0.isEmpty ? nil : $0 }
            return .found(ExpiringCredentials(AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token)))
        }
    }

    /// The profiles of an INI-style credentials file: section name → lower-cased key → value.
    ///
    /// Blank lines and lines starting with `#` or `;` are skipped, as are lines that are
    /// neither a `[section]` nor a `key = value` and keys outside any section. Values are
    /// taken whole (no inline comments), because a secret key may contain any character.
    /// A section named twice merges, later keys winning.
    static func profiles(in text: String) -> [String: [String: String]] {
        var profiles: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    current = nil
                    continue
                }
                let section = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                current = section
                profiles[section, default: [:]] = profiles[section] ?? [:]
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { continue }
            profiles[current, default: [:]][key] = value
        }
        return profiles
    }
}
