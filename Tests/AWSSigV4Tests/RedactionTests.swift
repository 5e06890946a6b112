import AWSSigV4
import Foundation
import Testing

/// Secrets must not reach logs through any of the ways Swift turns a value into text.
@Suite("Redaction of secrets")
struct RedactionTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "SESSION-TOKEN-DO-NOT-LOG"

    /// Every textual rendering of `value` that could end up in a log line.
    private func renderings(of value: some Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [
            "\(value)",
            String(describing: value),
            String(reflecting: value),
            dumped,
        ]
    }

    @Test("Credentials show the access key id but not the secret or token")
    func credentials() {
        let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: Self.secret, sessionToken: Self.token)
        for text in renderings(of: credentials) {
            #expect(text.contains("AKIDEXAMPLE"), "\(text)")
            #expect(!text.contains(Self.secret), "secret leaked: \(text)")
            #expect(!text.contains(Self.token), "token leaked: \(text)")
        }
        let withoutToken = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: Self.secret)
        #expect(withoutToken.description.contains("sessionToken: nil"))
    }

    @Test("Signing keys show their scope but not their bytes")
    func signingKey() {
        let key = SigV4Signer(region: "us-east-1", service: "iam").signingKey(
            for: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: Self.secret),
            date: Date(timeIntervalSince1970: 1_440_938_160)
        )
        for text in renderings(of: key) {
            #expect(text.contains("us-east-1"), "\(text)")
            #expect(!text.contains(key.hex), "key leaked: \(text)")
            #expect(!text.contains(String(describing: key.bytes)), "key bytes leaked: \(text)")
            #expect(!text.contains("32 elements"), "key bytes leaked through the mirror: \(text)")
        }
    }
}
