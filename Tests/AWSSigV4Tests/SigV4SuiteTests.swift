import AWSSigV4
import Foundation
import Testing

/// The published SigV4 suite, header flavour (`Authorization` header), one test per task of the
/// AWS document so that the first failing test names the step that went wrong. Every case of
/// the suite runs in every test; none is skipped.
@Suite("SigV4 suite, Authorization header")
struct SigV4SuiteTests {
    @Test("The suite folder is found and complete")
    func suiteIsPresent() throws {
        let names = try SigV4Suite.caseNames()
        #expect(
            names.count >= SigV4Suite.publishedCaseCount,
            "only \(names.count) cases under \(SigV4Suite.root.path), expected at least \(SigV4Suite.publishedCaseCount)"
        )
    }

    @Test("Task 1: canonical request", arguments: try SigV4Suite.caseNames())
    func canonicalRequest(caseName: String) throws {
        let suiteCase = try SuiteCase(named: caseName)
        let canonical = suiteCase.signer.canonicalRequest(
            for: suiteCase.request, credentials: suiteCase.credentials, date: suiteCase.date
        )
        let expected = try suiteCase.expected("header-canonical-request.txt")
        #expect(canonical.text == expected)
    }

    @Test("Task 2: string to sign", arguments: try SigV4Suite.caseNames())
    func stringToSign(caseName: String) throws {
        let suiteCase = try SuiteCase(named: caseName)
        let signer = suiteCase.signer
        let canonical = signer.canonicalRequest(
            for: suiteCase.request, credentials: suiteCase.credentials, date: suiteCase.date
        )
        let toSign = signer.stringToSign(for: canonical, date: suiteCase.date)
        let expected = try suiteCase.expected("header-string-to-sign.txt")
        #expect(toSign.text == expected)
    }

    @Test("Tasks 3 and 4: signing key and signature", arguments: try SigV4Suite.caseNames())
    func signature(caseName: String) throws {
        let suiteCase = try SuiteCase(named: caseName)
        let signer = suiteCase.signer
        let canonical = signer.canonicalRequest(
            for: suiteCase.request, credentials: suiteCase.credentials, date: suiteCase.date
        )
        let toSign = signer.stringToSign(for: canonical, date: suiteCase.date)
        let key = signer.signingKey(for: suiteCase.credentials, date: suiteCase.date)
        let expected = try suiteCase.expected("header-signature.txt")
        #expect(signer.signature(for: toSign, signingKey: key) == expected)
    }

    @Test("Task 5: signed request", arguments: try SigV4Suite.caseNames())
    func signedRequest(caseName: String) throws {
        let suiteCase = try SuiteCase(named: caseName)
        let signed = suiteCase.signer.signedRequest(
            for: suiteCase.request, credentials: suiteCase.credentials, date: suiteCase.date
        )
        let expected = try suiteCase.expected("header-signed-request.txt")
        #expect(HTTPRequestText.render(signed) == expected)
    }
}
