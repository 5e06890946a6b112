import Crypto
import Foundation

/// Signs requests for one service in one region with AWS Signature Version 4.
///
/// Each task of the AWS document is a separate public function, so a test (or a puzzled
/// operator comparing with AWS's "The canonical string for this request should have been…"
/// error) can look at every stage:
///
/// 1. ``canonicalRequest(for:credentials:date:placement:)``
/// 2. ``stringToSign(for:date:)`` (which hashes the canonical request)
/// 3. ``signingKey(for:date:)``
/// 4. ``signature(for:signingKey:)``
/// 5. ``signedRequest(for:credentials:date:placement:)``, which runs the others and adds the result.
///
/// Everything is pure: the time comes in as `date:`, credentials as a parameter (they rotate,
/// the signer does not), and no function reads a clock, the environment or the network.
public struct SigV4Signer: Sendable, Equatable {
    /// The region, e.g. `us-east-1`.
    public var region: String
    /// The service's signing name, e.g. `ecs` or `ec2` (not always its endpoint prefix).
    public var service: String
    /// How requests are canonicalised for this service.
    public var options: SigningOptions

    /// Creates a signer.
    /// - Parameters:
    ///   - region: the region, e.g. `us-east-1`.
    ///   - service: the service signing name, e.g. `ecs`.
    ///   - options: canonicalisation options; `nil` (the default) means
    ///     ``SigningOptions/init(service:)`` for `service`.
    public init(region: String, service: String, options: SigningOptions? = nil) {
        self.region = region
        self.service = service
        self.options = options ?? SigningOptions(service: service)
    }

    /// The header names the signer writes, spelled as AWS documents them.
    enum HeaderName {
        static let authorization = "Authorization"
        static let date = "X-Amz-Date"
        static let securityToken = "X-Amz-Security-Token"
        static let contentSHA256 = "x-amz-content-sha256"
    }

    /// The credential scope for a signature made at `date` by this signer.
    public func credentialScope(date: Date) -> CredentialScope {
        CredentialScope(dateStamp: SigningTime(date).dateStamp, region: region, service: service)
    }

    /// Task 1: the canonical request for `request` as it will be sent, that is with the signing
    /// headers (header flavour) or `X-Amz-*` query parameters (query flavour) that
    /// ``signedRequest(for:credentials:date:placement:)`` adds before signing.
    /// - Parameters:
    ///   - request: the request without any signing fields.
    ///   - credentials: supply the session token (signed unless the options say otherwise)
    ///     and, for presigning, the access key id.
    ///   - date: the signing time.
    ///   - placement: where the signature goes; the `Authorization` header by default.
    public func canonicalRequest(
        for request: SignableRequest,
        credentials: AWSCredentials,
        date: Date,
        placement: SignaturePlacement = .authorizationHeader
    ) -> CanonicalRequest {
        CanonicalRequest(
            request: requestWithSigningFields(request, credentials: credentials, date: date, placement: placement),
            options: options
        )
    }

    /// Task 2: the string to sign for `canonicalRequest` at `date` (hashing the canonical
    /// request on the way).
    public func stringToSign(for canonicalRequest: CanonicalRequest, date: Date) -> StringToSign {
        StringToSign(
            amzDate: SigningTime(date).amzDate,
            scope: credentialScope(date: date),
            canonicalRequestHash: canonicalRequest.hash
        )
    }

    /// Task 3: the signing key for `credentials` on the UTC day of `date`, in this signer's
    /// region and service. It stays the same all day, so a caller may keep it per day.
    public func signingKey(for credentials: AWSCredentials, date: Date) -> SigningKey {
        SigningKey(secretAccessKey: credentials.secretAccessKey, scope: credentialScope(date: date))
    }

    /// Task 4: the signature, the lower-case hex HMAC-SHA256 of the string to sign under the
    /// signing key. Both must be for the same scope; a key for another day, region or service
    /// gives a signature that AWS rejects.
    public func signature(for stringToSign: StringToSign, signingKey: SigningKey) -> String {
        assert(stringToSign.scope == signingKey.scope, "signing key scope differs from the string to sign")
        return Hex.lowercase(SigningKey.hmac(key: signingKey.bytes, message: Array(stringToSign.text.utf8)))
    }

    /// Task 5: `request` signed and ready to send.
    ///
    /// With ``SignaturePlacement/authorizationHeader`` the headers gain, in this order,
    /// `X-Amz-Security-Token` (when the credentials have a token), `X-Amz-Date`,
    /// `x-amz-content-sha256` (when the options ask for it) and `Authorization`. Any of these
    /// already in `request` are removed first (`x-amz-content-sha256` only when it is re-added),
    /// so re-signing a signed request replaces its signature rather than adding a second one.
    ///
    /// With ``SignaturePlacement/queryString(expiresIn:)`` the query gains `X-Amz-Algorithm`,
    /// `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-SignedHeaders`, `X-Amz-Expires`,
    /// `X-Amz-Security-Token` (with a token) and finally `X-Amz-Signature`, after any existing
    /// parameters; `request` must not carry them already. Headers are left unchanged.
    public func signedRequest(
        for request: SignableRequest,
        credentials: AWSCredentials,
        date: Date,
        placement: SignaturePlacement = .authorizationHeader
    ) -> SignableRequest {
        var signed = requestWithSigningFields(request, credentials: credentials, date: date, placement: placement)
        let canonical = CanonicalRequest(request: signed, options: options)
        let toSign = stringToSign(for: canonical, date: date)
        let signature = signature(for: toSign, signingKey: signingKey(for: credentials, date: date))

        switch placement {
        case .authorizationHeader:
            let authorization =
                "\(StringToSign.algorithm) Credential=\(credentials.accessKeyID)/\(toSign.scope), "
                + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
            signed.headers.append(.init(name: HeaderName.authorization, value: authorization))
        case .queryString:
            var added: [SignableRequest.QueryItem] = []
            // An unsigned token must still travel, but only after the signature is computed.
            if let token = credentials.sessionToken, !options.signsSessionToken {
                added.append(.init(name: HeaderName.securityToken, value: token))
            }
            added.append(.init(name: "X-Amz-Signature", value: signature))
            signed.query = signed.query.appending(added)
        }
        return signed
    }
}
