import AWSSigV4
import Foundation

/// One case of the published suite, read from its folder: the inputs turned into signer
/// values, and access to the expected files.
struct SuiteCase {
    /// The case's `context.json`: what the signer is given besides the request.
    struct Context: Decodable {
        struct Credentials: Decodable {
            let accessKeyID: String
            let secretAccessKey: String
            let token: String?

            enum CodingKeys: String, CodingKey {
                case accessKeyID = "access_key_id"
                case secretAccessKey = "secret_access_key"
                case token
            }
        }

        let credentials: Credentials
        let expirationInSeconds: Int
        let normalize: Bool
        let region: String
        let service: String
        let signBody: Bool
        let timestamp: String
        let omitSessionToken: Bool?

        enum CodingKeys: String, CodingKey {
            case credentials, normalize, region, service, timestamp
            case expirationInSeconds = "expiration_in_seconds"
            case signBody = "sign_body"
            case omitSessionToken = "omit_session_token"
        }
    }

    /// Why a case could not be read.
    struct LoadError: Error, CustomStringConvertible {
        let description: String
    }

    let name: String
    let folder: URL
    let context: Context
    let request: SignableRequest
    let date: Date

    /// Reads the case `name` (a path relative to the suite root).
    init(named name: String) throws {
        self.name = name
        self.folder = SigV4Suite.root.appendingPathComponent(name)
        let contextBytes = try Data(contentsOf: folder.appendingPathComponent("context.json"))
        self.context = try JSONDecoder().decode(Context.self, from: contextBytes)
        self.request = try HTTPRequestText.parse(Array(try Data(contentsOf: folder.appendingPathComponent("request.txt"))))
        guard let date = ISO8601DateFormatter().date(from: context.timestamp) else {
            throw LoadError(description: "\(name): timestamp \(context.timestamp) is not ISO 8601")
        }
        self.date = date
    }

    /// The credentials of the case.
    var credentials: AWSCredentials {
        AWSCredentials(
            accessKeyID: context.credentials.accessKeyID,
            secretAccessKey: context.credentials.secretAccessKey,
            sessionToken: context.credentials.token
        )
    }

    /// A signer set up as the case asks. The suite's services always encode paths twice (it has
    /// no S3 case); `normalize` and `sign_body` choose normalisation and `x-amz-content-sha256`.
    var signer: SigV4Signer {
        SigV4Signer(
            region: context.region,
            service: context.service,
            options: SigningOptions(
                normalizesPath: context.normalize,
                encodesPathTwice: true,
                addsContentSHA256Header: context.signBody,
                signsSessionToken: !(context.omitSessionToken ?? false)
            )
        )
    }

    /// The text of the expected file `file` (e.g. `header-signature.txt`), byte for byte.
    func expected(_ file: String) throws -> String {
        let url = folder.appendingPathComponent(file)
        guard let bytes = FileManager.default.contents(atPath: url.path) else {
            throw LoadError(description: "\(name): expected file missing at \(url.path)")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
