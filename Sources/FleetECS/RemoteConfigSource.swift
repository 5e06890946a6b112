import AWSClient
import FleetCore
import Foundation
import Logging

/// fleet.yaml kept in AWS: an SSM parameter (`ssm:NAME`) or an S3 object (`s3://BUCKET/KEY`),
/// read and written with gamefleet's own AWS client.
///
/// The source is read before fleet.yaml is, so nothing of fleet.yaml configures it: the region,
/// the endpoint and the credentials come from the environment as for the AWS SDKs (`AWS_REGION`,
/// else `AWS_DEFAULT_REGION`; `AWS_ENDPOINT_URL_SSM` / `AWS_ENDPOINT_URL_S3`, then
/// `AWS_ENDPOINT_URL`; the usual credential chain).
public struct RemoteConfigSource: ConfigSource {
    public let location: ConfigLocation
    let ssm: SSMClient?
    let s3: S3Client?

    /// Why a remote source could not be set up (no region, a bad endpoint variable).
    public struct SetupError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    init(location: ConfigLocation, ssm: SSMClient?, s3: S3Client?) {
        self.location = location
        self.ssm = ssm
        self.s3 = s3
    }

    /// A source for `location` (which must be `ssm:` or `s3://`) over `configuration`'s transport
    /// and credentials.
    public init(location: ConfigLocation, configuration: AWSClientConfiguration) throws {
        switch location {
        case .ssm:
            self.init(location: location, ssm: try SSMClient(configuration: configuration), s3: nil)
        case .s3:
            self.init(location: location, ssm: nil, s3: try S3Client(configuration: configuration))
        case .file:
            throw SetupError(description: "\(location): a file is not a remote config source")
        }
    }

    /// The region remote sources use: `AWS_REGION`, else `AWS_DEFAULT_REGION`.
    public static func region(environment: [String: String]) -> String? {
        for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
        }
        return nil
    }

    /// A live source for `location` with its own HTTP transport; `close` shuts it.
    /// - Throws: ``SetupError`` naming the location and what is missing.
    public static func live(
        _ location: ConfigLocation, environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger
    ) throws -> (source: RemoteConfigSource, close: @Sendable () async -> Void) {
        if case .file = location { throw SetupError(description: "\(location): a file is not a remote config source") }
        guard let region = region(environment: environment) else {
            throw SetupError(description: "\(location): AWS_REGION is not set; a config kept in AWS is read before fleet.yaml, so its region comes from the environment (AWS_REGION or AWS_DEFAULT_REGION)")
        }
        do {
            // A bad endpoint variable is refused before anything is opened.
            _ = try AWSEndpoint.resolve(for: location.isSSM ? .ssm : .s3, region: region, explicit: nil, environment: environment)
        } catch {
            throw SetupError(description: "\(location): \(error)")
        }
        let transport = AsyncHTTPClientTransport()
        let configuration = AWSClientConfiguration(
            region: region,
            credentials: CachedCredentialProvider.standard(environment: environment, transport: transport, logger: logger),
            transport: transport, environment: environment, timeout: .seconds(10), logger: logger)
        let source = RemoteConfigSource(
            location: location, ssm: location.isSSM ? try? SSMClient(configuration: configuration) : nil,
            s3: location.isSSM ? nil : try? S3Client(configuration: configuration))
        return (source, { try? await transport.shutdown() })
    }

    public func fetch(unlessVersion known: String?) async throws(ConfigSourceError) -> ConfigDocument? {
        do {
            switch location {
            case .ssm(let name):
                guard let ssm else { return nil }
                let parameter = try await ssm.getParameter(name, withDecryption: true)
                let version = String(parameter.version)
                if version == known { return nil }
                return ConfigDocument(bytes: Array(parameter.value.utf8), version: version)
            case .s3(let bucket, let key):
                guard let s3 else { return nil }
                switch try await s3.getObject(bucket: bucket, key: key, ifNoneMatch: known.map(Self.quoted)) {
                case .notModified:
                    return nil
                case .object(let object):
                    return ConfigDocument(bytes: object.body, version: object.eTag.map(Self.unquoted))
                }
            case .file:
                return nil
            }
        } catch {
            throw ConfigSourceError(location: location, reason: "\(error)")
        }
    }

    /// The version a source answers right now, without judging it: nil when there is nothing at the
    /// location yet (no such parameter or object).
    public func currentVersion() async throws -> String? {
        try await current()?.version
    }

    /// What the source holds right now, read unconditionally: nil when there is nothing at the
    /// location yet (no such parameter or object).
    /// - Throws: ``ConfigSourceError`` for any other failure (no such bucket, access denied, …).
    public func current() async throws(ConfigSourceError) -> ConfigDocument? {
        do {
            return try await fetch(unlessVersion: nil)
        } catch {
            if Self.isMissing(error.reason) { return nil }
            throw error
        }
    }

    /// Writes `bytes` as a new version and answers it. With `ifVersion`, only when the current
    /// version is that one: S3 checks it itself (`If-Match` on the entity tag, atomic); Parameter
    /// Store has no conditional write, so its version number is read first and compared (a write
    /// landing between the read and the write is not caught).
    /// - Throws: ``ConfigSourceError`` naming the location, the request and, for a version
    ///   mismatch, both versions.
    public func write(_ bytes: [UInt8], ifVersion: String?) async throws(ConfigSourceError) -> String? {
        do {
            switch location {
            case .ssm(let name):
                guard let ssm else { return nil }
                var type: String?
                do {
                    let current = try await ssm.getParameter(name, withDecryption: false)
                    type = current.type
                    if let ifVersion, String(current.version) != ifVersion {
                        throw ConfigSourceError(location: location, reason: "--if-version \(ifVersion): the parameter is at version \(current.version); someone wrote it meanwhile (plan again against that version)")
                    }
                } catch let error as AWSServiceError where error.code == "ParameterNotFound" {
                    if let ifVersion {
                        throw ConfigSourceError(location: location, reason: "--if-version \(ifVersion): the parameter does not exist")
                    }
                }
                let version = try await ssm.putParameter(name, value: String(decoding: bytes, as: UTF8.self), type: type ?? "String", overwrite: true)
                return String(version)
            case .s3(let bucket, let key):
                guard let s3 else { return nil }
                do {
                    return try await s3.putObject(bucket: bucket, key: key, body: bytes, ifMatch: ifVersion.map(Self.quoted)).map(Self.unquoted)
                } catch let error as AWSServiceError where error.code == "PreconditionFailed" {
                    throw ConfigSourceError(location: location, reason: "--if-version \(ifVersion ?? ""): the object's entity tag is no longer that one; someone wrote it meanwhile (plan again against the new version)")
                }
            case .file:
                return nil
            }
        } catch let error as ConfigSourceError {
            throw error
        } catch {
            throw ConfigSourceError(location: location, reason: "\(error)")
        }
    }

    /// Whether a read failure says there is nothing at the location.
    static func isMissing(_ reason: String) -> Bool {
        reason.contains("ParameterNotFound") || reason.contains("NoSuchKey")
    }

    static func quoted(_ tag: String) -> String { "\"\(tag)\"" }

    static func unquoted(_ tag: String) -> String {
        var text = Substring(tag)
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
        return String(text)
    }
}

extension ConfigLocation {
    var isSSM: Bool {
        if case .ssm = self { return true }
        return false
    }
}
