import AWSSigV4
import Foundation

/// A client for Amazon S3's REST protocol, for the few object calls gamefleet makes (a fleet.yaml
/// kept as an object: `--config s3://BUCKET/KEY`, `gamefleet push --to s3://…`).
///
/// It goes through the same caller as the other clients (one signing, retry and error path); what
/// differs is S3's: the method and path name the call, the signer adds `x-amz-content-sha256` (the
/// payload's hash) and signs the path as sent, without normalising or encoding it twice (the
/// signer's S3 options). Errors come back in S3's XML and become ``AWSServiceError``s with S3's
/// code (`NoSuchKey`, `NoSuchBucket`, `AccessDenied`, `PreconditionFailed`).
///
/// Addressing: on AWS's own endpoint a bucket whose name is a plain DNS label is addressed
/// virtual-hosted (`BUCKET.s3.REGION.amazonaws.com/KEY`); on any other endpoint (moto, MinIO,
/// `AWS_ENDPOINT_URL_S3`), and for bucket names with dots, path-style (`ENDPOINT/BUCKET/KEY`).
public struct S3Client: Sendable {
    let caller: AWSServiceCaller
    /// Whether the endpoint is AWS's standard one for the region (then buckets are hosts).
    let standardEndpoint: Bool

    /// The endpoint calls go to (before a virtual-hosted bucket is put in front of its host).
    public var endpoint: AWSEndpoint { caller.endpoint }

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: region, credentials, transport and the rest.
    ///   - endpoint: an explicit endpoint URL, which beats `AWS_ENDPOINT_URL_S3` and
    ///     `AWS_ENDPOINT_URL`; `nil` to use those or `https://s3.REGION.amazonaws.com`.
    /// - Throws: ``AWSEndpoint/InvalidURL`` when the chosen endpoint is not a usable URL.
    public init(configuration: AWSClientConfiguration, endpoint: String? = nil) throws {
        let resolved = try AWSEndpoint.resolve(for: .s3, region: configuration.region, explicit: endpoint, environment: configuration.environment)
        self.caller = AWSServiceCaller(service: .s3, endpoint: resolved, configuration: configuration)
        self.standardEndpoint = resolved == AWSEndpoint.standard(for: .s3, region: configuration.region)
    }

    /// An object as `GetObject` answers it.
    public struct Object: Sendable, Equatable {
        /// The object's bytes.
        public var body: [UInt8]
        /// The entity tag as S3 sends it, quotes included (e.g. `"9b2cf535f27731c974343645a3985328"`).
        public var eTag: String?
        /// The version id when the bucket has versioning; nil otherwise.
        public var versionID: String?

        public init(body: [UInt8], eTag: String?, versionID: String?) {
            self.body = body
            self.eTag = eTag
            self.versionID = versionID
        }
    }

    /// What a conditional `GetObject` found.
    public enum Fetched: Sendable, Equatable {
        /// The object (changed since the given entity tag, or read unconditionally).
        case object(Object)
        /// 304: the object still has the entity tag given in `If-None-Match`.
        case notModified
    }

    /// `GetObject`, with `If-None-Match` when `ifNoneMatch` (an entity tag, quoted as S3 gives it)
    /// is set, so an unchanged object costs a 304 and no body.
    /// - Throws: ``AWSServiceError`` (`NoSuchKey`, `NoSuchBucket`, `AccessDenied`, …) or another
    ///   client error.
    public func getObject(bucket: String, key: String, ifNoneMatch: String? = nil) async throws -> Fetched {
        var shape = self.shape(method: "GET", bucket: bucket, key: key)
        if let ifNoneMatch { shape.headers.append(HTTPHeaderField(name: "If-None-Match", value: ifNoneMatch)) }
        let response = try await caller.call(operation: "GetObject", shape, accepting: [304])
        if response.status == 304 { return .notModified }
        return .object(Object(
            body: response.body, eTag: response.headers.value(for: "ETag"), versionID: response.headers.value(for: "x-amz-version-id")))
    }

    /// `PutObject` of `body`, conditional on the object's current entity tag being `ifMatch` when
    /// set (S3 answers 412 `PreconditionFailed` otherwise). Answers the new object's entity tag.
    /// - Throws: ``AWSServiceError`` (`PreconditionFailed`, `NoSuchBucket`, `AccessDenied`, …) or
    ///   another client error.
    @discardableResult
    public func putObject(bucket: String, key: String, body: [UInt8], contentType: String = "application/yaml", ifMatch: String? = nil) async throws -> String? {
        var shape = self.shape(method: "PUT", bucket: bucket, key: key)
        shape.headers.append(HTTPHeaderField(name: "Content-Type", value: contentType))
        if let ifMatch { shape.headers.append(HTTPHeaderField(name: "If-Match", value: ifMatch)) }
        shape.body = body
        let response = try await caller.call(operation: "PutObject", shape)
        return response.headers.value(for: "ETag")
    }

    /// `HeadBucket`: nil when the bucket exists and may be read; otherwise the error.
    public func headBucket(_ bucket: String) async throws {
        _ = try await caller.call(operation: "HeadBucket", shape(method: "HEAD", bucket: bucket, key: nil))
    }

    /// The request for `key` in `bucket` (the bucket itself when `key` is nil), addressed as the
    /// type's header says. Each key segment is percent-encoded the SigV4 way, `/` kept.
    func shape(method: String, bucket: String, key: String?) -> AWSServiceCaller.Shape {
        let encodedKey = key.map { $0.split(separator: "/", omittingEmptySubsequences: false).map { URIEncoding.encode($0.utf8) }.joined(separator: "/") }
        if standardEndpoint && Self.isVirtualHostable(bucket) {
            return AWSServiceCaller.Shape(
                method: method, path: "/" + (encodedKey ?? ""), query: [], headers: [], body: [], endpoint: caller.endpoint.prefixingHost(with: bucket))
        }
        let path = "/" + URIEncoding.encode(bucket.utf8) + (encodedKey.map { "/" + $0 } ?? "")
        return AWSServiceCaller.Shape(method: method, path: path, query: [], headers: [], body: [], endpoint: nil)
    }

    /// A bucket name that can be a host label: lower-case letters, digits and `-`, no dots (a
    /// dotted name would not match S3's wildcard certificate).
    static func isVirtualHostable(_ bucket: String) -> Bool {
        !bucket.isEmpty && bucket.count <= 63
            && bucket.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
            && bucket.first != "-" && bucket.last != "-"
    }
}
