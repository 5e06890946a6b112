import AWSSigV4
import Foundation
import Testing

/// S3's own signing example, step by step: Amazon S3 API Reference, "Signature Calculations for
/// the Authorization Header: Transferring Payload in a Single Chunk (AWS Signature Version 4)",
/// section "Examples: Signature Calculations", "Example: GET Object" (the first 10 bytes of
/// `test.txt` in `examplebucket`). Inputs and every expected value are the document's.
///
/// What S3 signs differently from the other services shows here: the signer adds
/// `x-amz-content-sha256` (the hash of the empty payload) and signs it, and the path is signed as
/// sent (no normalisation, no second encoding; see the S3 rows of `CanonicalRequestTests`).
@Suite("S3 known answer (AWS documentation, GET Object)")
struct S3KnownAnswerTests {
    /// The documentation's example key pair (not a real account).
    let credentials = AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    /// 2013-05-24T00:00:00Z.
    let date = Date(timeIntervalSince1970: 1_369_353_600)
    let signer = SigV4Signer(region: "us-east-1", service: "s3")
    let request = SignableRequest(
        method: "GET", path: "/test.txt",
        headers: [.init(name: "Host", value: "examplebucket.s3.amazonaws.com"), .init(name: "Range", value: "bytes=0-9")])
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    @Test("Step 1: the canonical request signs x-amz-content-sha256 and the path as sent")
    func canonicalRequest() {
        let canonical = signer.canonicalRequest(for: request, credentials: credentials, date: date)
        #expect(canonical.text == """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:\(Self.emptyHash)
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            \(Self.emptyHash)
            """)
    }

    @Test("Step 2: the string to sign")
    func stringToSign() {
        let canonical = signer.canonicalRequest(for: request, credentials: credentials, date: date)
        #expect(signer.stringToSign(for: canonical, date: date).text == """
            AWS4-HMAC-SHA256
            20130524T000000Z
            20130524/us-east-1/s3/aws4_request
            7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
            """)
    }

    @Test("Steps 3 and 4: the signature, and the Authorization header of the signed request")
    func signature() {
        let canonical = signer.canonicalRequest(for: request, credentials: credentials, date: date)
        let toSign = signer.stringToSign(for: canonical, date: date)
        let signature = signer.signature(for: toSign, signingKey: signer.signingKey(for: credentials, date: date))
        #expect(signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")

        let signed = signer.signedRequest(for: request, credentials: credentials, date: date)
        #expect(signed.values(forHeader: "x-amz-content-sha256") == [Self.emptyHash])
        #expect(signed.values(forHeader: "Authorization") == [
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
        ])
    }

    @Test("A PUT's x-amz-content-sha256 is its body's hash, and changing the body changes the signature")
    func payloadHash() {
        var put = request
        put.method = "PUT"
        put.headers = [.init(name: "Host", value: "examplebucket.s3.amazonaws.com")]
        put.body = Array("Welcome to Amazon S3.".utf8)
        let signed = signer.signedRequest(for: put, credentials: credentials, date: date)
        // The document's PUT Object example body hashes to this value.
        #expect(signed.values(forHeader: "x-amz-content-sha256") == ["44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"])
        var other = put
        other.body = Array("Welcome to Amazon S3!".utf8)
        #expect(signer.signedRequest(for: other, credentials: credentials, date: date).values(forHeader: "Authorization")
                != signed.values(forHeader: "Authorization"))
    }
}
