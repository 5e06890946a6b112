import AWSSigV4
import Foundation
import Testing

/// What the final step adds and replaces, beyond the published suite.
@Suite("Signed request")
struct SignedRequestTests {
    let credentials = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        sessionToken: "token-1"
    )
    let request = SignableRequest(
        method: "POST",
        headers: [
            .init(name: "Host", value: "ecs.us-east-1.amazonaws.com"),
            .init(name: "Content-Type", value: "application/x-amz-json-1.1"),
        ],
        body: Array("{}".utf8)
    )
    let morning = Date(timeIntervalSince1970: 1_710_495_045)
    let evening = Date(timeIntervalSince1970: 1_710_495_045 + 10 * 3600)

    @Test("Re-signing replaces the old signing headers instead of adding more")
    func resigningReplaces() {
        let signer = SigV4Signer(region: "us-east-1", service: "ecs")
        let once = signer.signedRequest(for: request, credentials: credentials, date: evening)
        let twice = signer.signedRequest(
            for: signer.signedRequest(for: request, credentials: credentials, date: morning),
            credentials: credentials, date: evening
        )
        #expect(twice == once)
        #expect(once.values(forHeader: "Authorization").count == 1)

        var longTerm = credentials
        longTerm.sessionToken = nil
        let resignedWithoutToken = signer.signedRequest(for: once, credentials: longTerm, date: evening)
        #expect(resignedWithoutToken.values(forHeader: "X-Amz-Security-Token").isEmpty)
    }

    @Test("Signed headers appear in AWS's order, after the caller's")
    func headerOrder() {
        let signer = SigV4Signer(region: "us-east-1", service: "s3")
        let signed = signer.signedRequest(for: request, credentials: credentials, date: morning)
        #expect(
            signed.headers.map(\.name) == [
                "Host", "Content-Type", "X-Amz-Security-Token", "X-Amz-Date", "x-amz-content-sha256", "Authorization",
            ]
        )
        #expect(signed.values(forHeader: "x-amz-content-sha256") == [CanonicalRequest.payloadHash(of: request.body)])
        #expect(signed.values(forHeader: "authorization").first?.contains("x-amz-content-sha256;x-amz-date;x-amz-security-token") == true)
    }

    @Test("An unsigned session token is sent but not signed")
    func unsignedToken() {
        let signer = SigV4Signer(region: "us-east-1", service: "iotdata", options: SigningOptions(signsSessionToken: false))
        let signed = signer.signedRequest(for: request, credentials: credentials, date: morning)
        #expect(signed.values(forHeader: "X-Amz-Security-Token") == ["token-1"])
        #expect(signed.values(forHeader: "Authorization").first?.contains("SignedHeaders=content-type;host;x-amz-date,") == true)
    }

    @Test("Each step's inputs change the signature")
    func inputsMatter() {
        let signer = SigV4Signer(region: "us-east-1", service: "ecs")
        func authorization(_ signer: SigV4Signer, _ request: SignableRequest, _ credentials: AWSCredentials, _ date: Date) -> String? {
            signer.signedRequest(for: request, credentials: credentials, date: date).values(forHeader: "Authorization").first
        }
        let base = authorization(signer, request, credentials, morning)
        var otherBody = request
        otherBody.body = Array("{ }".utf8)
        var otherSecret = credentials
        otherSecret.secretAccessKey += "x"

        #expect(authorization(signer, otherBody, credentials, morning) != base)
        #expect(authorization(signer, request, otherSecret, morning) != base)
        #expect(authorization(signer, request, credentials, morning.addingTimeInterval(1)) != base)
        #expect(authorization(SigV4Signer(region: "us-west-2", service: "ecs"), request, credentials, morning) != base)
        // Same inputs, same output: nothing but the arguments goes into a signature.
        #expect(authorization(signer, request, credentials, morning) == base)
    }

    @Test("Per-service defaults")
    func serviceDefaults() {
        #expect(SigningOptions(service: "ecs") == SigningOptions())
        let s3 = SigningOptions(service: "s3")
        #expect(!s3.normalizesPath && !s3.encodesPathTwice && s3.addsContentSHA256Header)
    }
}
