/// Where the signature travels: the two flavours of SigV4.
public enum SignaturePlacement: Sendable, Equatable {
    /// In an `Authorization` header, with `X-Amz-Date` (and `X-Amz-Security-Token`) headers.
    /// The usual choice for API calls.
    case authorizationHeader
    /// In the query string (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
    /// `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature`), making a presigned URL valid for
    /// `expiresIn` seconds. AWS accepts 1 to 604800 (seven days); the value is passed through
    /// unchecked, so AWS is the one to reject anything else.
    case queryString(expiresIn: Int)
}
