import AWSSigV4
import Foundation
import Timestamps

/// The JSON that both the ECS container endpoint and the EC2 instance metadata service answer
/// with: `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration` (ISO 8601) and, from EC2, a
/// `Code` that is `Success` when all is well.
struct CredentialsDocument: Decodable, Sendable {
    var accessKeyID: String?
    var secretAccessKey: String?
    var token: String?
    var expiration: String?
    var code: String?

    enum CodingKeys: String, CodingKey {
        case accessKeyID = "AccessKeyId"
        case secretAccessKey = "SecretAccessKey"
        case token = "Token"
        case expiration = "Expiration"
        case code = "Code"
    }

    /// Reads `body` and turns it into credentials, or says what is wrong in words that do not
    /// repeat the body (it holds the secret).
    static func credentials(from body: [UInt8]) -> Result<ExpiringCredentials, DocumentProblem> {
        guard let document = try? JSONDecoder().decode(CredentialsDocument.self, from: Data(body)) else {
            return .failure(DocumentProblem("the response is not a JSON credentials object"))
        }
        if let code = document.code, code != "Success" {
            return .failure(DocumentProblem("the response has Code \(code) instead of Success"))
        }
        guard let keyID = document.accessKeyID, !keyID.isEmpty,
            let secret = document.secretAccessKey, !secret.isEmpty
        else {
            return .failure(DocumentProblem("the response has no AccessKeyId or SecretAccessKey"))
        }
        var expiration: Date?
        if let text = document.expiration {
            guard let date = RFC3339Time.date(from: text) else {
                return .failure(DocumentProblem("the response's Expiration is not an ISO 8601 time"))
            }
            expiration = date
        }
        let token = document.token.flatMap { $0.isEmpty ? nil : $0 }
        return .success(ExpiringCredentials(AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token), expiration: expiration))
    }

    /// A description of what is wrong with a credentials document.
    struct DocumentProblem: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }
}
