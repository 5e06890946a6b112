import AWSSigV4
import Foundation
import Testing

/// The published SigV4 suite, query flavour (presigned URLs), step by step like the header
/// flavour. The expiry comes from each case's `expiration_in_seconds`.
@Suite("SigV4 suite, presigned query string")
struct SigV4PresignSuiteTests {
    /// Where the signature goes for `suiteCase`.
    private func placement(_ suiteCase: SuiteCase) -> SignaturePlacement {
        .queryString(expiresIn: suiteCase.context.expirationInSeconds)
    }

    @Test("Task 1: canonical request", arguments: try SigV4Suite.caseNames())
    func canonicalRequest(caseName: String) throws {
        let suiteCase = try SuiteCase(named: caseName)
        let canonical = suiteCase.signer.canonicalRequest(
            for: suiteCase.request, credentials: suiteCase.credentials, date: suiteCase.date,
            placement: placement(suiteCase)
        )
        let expected = try suiteCase.expected("query-canonical-request.txt")
        #expect(canonical.text == expected)
    }

    @Test("Task 2: string to sign", arguments: try SigV4Suite.caseNames())
    func stringToSign(caseName: String) throws {
        let suiteCase = try SuiteCase(named: caseName)
        let signer = suiteCase.signer
        let canonical = signer.canonicalRequest(
            for: suiteCase.request, credentials: suiteCase.credentials, date: suiteCase.date,
            placement: placement(suiteCase)
        )
        let expected = try suiteCase.expected("query-string-to-sign.txt")
        #expect(signer.stringToSign(for: canonical, date: suiteCase.date).text == expected)
    }

    @Test("Tasks 3 and 4: signing key and signature", arguments: try SigV4Suite.caseNames())
    func signature(caseName: String) throws {
        let suiteCase = try SuiteCase(named: caseName)
        let signer = suiteCase.signer
        let canonical = signer.canonicalRequest(
            for: suiteCase.request, credentials: suiteCase.credentials, date: suiteCase.date,
            placement: placement(suiteCase)
        )
        let toSign = signer.stringToSign(for: canonical, date: suiteCase.date)
        let key = signer.signingKey(for: suiteCase.credentials, date: suiteCase.date)
        let expected = try suiteCase.expected("query-signature.txt")
        #expect(signer.signature(for: toSign, signingKey: key) == expected)
    }

    @Test("Task 5: presigned request", arguments: try SigV4Suite.caseNames())
    func signedRequest(caseName: String) throws {
        let suiteCase = try SuiteCase(named: caseName)
        let signed = suiteCase.signer.signedRequest(
            for: suiteCase.request, credentials: suiteCase.credentials, date: suiteCase.date,
            placement: placement(suiteCase)
        )
        let expected = try suiteCase.expected("query-signed-request.txt")
        #expect(HTTPRequestText.render(signed) == expected)
    }
}
