import Foundation

extension SigV4Signer {
    /// `request` with the fields that are part of what gets signed: for the header flavour the
    /// `X-Amz-Security-Token`, `X-Amz-Date` and (optionally) `x-amz-content-sha256` headers; for
    /// the query flavour the `X-Amz-*` parameters other than the signature. An unsigned session
    /// token is added here as a header (its place in the header list is the same either way) but
    /// only after signing as a query parameter, since every query parameter is signed.
    func requestWithSigningFields(
        _ request: SignableRequest,
        credentials: AWSCredentials,
        date: Date,
        placement: SignaturePlacement
    ) -> SignableRequest {
        let time = SigningTime(date)
        var prepared = request

        switch placement {
        case .authorizationHeader:
            // A stale token goes even when the new credentials have none: it would name a
            // session the new signature does not belong to.
            var replaced: Set<String> = [HeaderName.authorization, HeaderName.date, HeaderName.securityToken]
            var added: [SignableRequest.Header] = []
            if let token = credentials.sessionToken {
                added.append(.init(name: HeaderName.securityToken, value: token))
            }
            added.append(.init(name: HeaderName.date, value: time.amzDate))
            if options.addsContentSHA256Header {
                replaced.insert(HeaderName.contentSHA256)
                added.append(.init(name: HeaderName.contentSHA256, value: CanonicalRequest.payloadHash(of: request.body)))
            }
            let replacedLowercased = Set(replaced.map { $0.lowercased() })
            prepared.headers.removeAll { replacedLowercased.contains($0.name.lowercased()) }
            prepared.headers.append(contentsOf: added)

        case .queryString(let expiresIn):
            let signedHeaders = CanonicalRequest.canonicalHeaderList(request.headers, options: options)
                .map(\.name)
                .joined(separator: ";")
            var added: [SignableRequest.QueryItem] = [
                .init(name: "X-Amz-Algorithm", value: StringToSign.algorithm),
                .init(name: "X-Amz-Credential", value: "\(credentials.accessKeyID)/\(credentialScope(date: date))"),
                .init(name: "X-Amz-Date", value: time.amzDate),
                .init(name: "X-Amz-SignedHeaders", value: signedHeaders),
                .init(name: "X-Amz-Expires", value: String(expiresIn)),
            ]
            if let token = credentials.sessionToken, options.signsSessionToken {
                added.append(.init(name: HeaderName.securityToken, value: token))
            }
            prepared.query = prepared.query.appending(added)
        }
        return prepared
    }
}
