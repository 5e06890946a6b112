import Synchronization

/// A stand-in for the EC2 instance metadata service (IMDSv2) on 127.0.0.1: it hands out
/// session tokens, refuses credential reads without a valid one, and serves a role whose
/// credentials the test can change between fetches.
final class FakeMetadataService: Sendable {
    struct State {
        var issuedTokens: [String] = []
        var generation = 1
        var expiration = "2024-03-15T10:30:45Z"
        var role: String? = "gamefleet-host"
        var code = "Success"
    }

    let state = Mutex(State())
    static let secretPrefix = "imds/SECRET+"
    static let tokenPrefix = "imds-SESSION-token-"

    func update(_ change: (inout State) -> Void) {
        state.withLock { change(&$0) }
    }

    func handle(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Response {
        state.withLock { state in
            if request.method == "PUT", request.uri == "/latest/api/token" {
                guard request.header("X-aws-ec2-metadata-token-ttl-seconds") == "21600" else { return .init(status: 400, text: "missing TTL") }
                let token = "metadata-API-token-\(state.issuedTokens.count + 1)"
                state.issuedTokens.append(token)
                return .init(status: 200, text: token)
            }
            guard request.method == "GET", let token = request.header("X-aws-ec2-metadata-token"), state.issuedTokens.contains(token) else {
                return .init(status: 401, text: "")
            }
            switch request.uri {
            case "/latest/meta-data/iam/security-credentials/":
                guard let role = state.role else { return .init(status: 404, text: "") }
                return .init(status: 200, text: role + "\n")
            case "/latest/meta-data/iam/security-credentials/\(state.role ?? "-")":
                let generation = state.generation
                return .init(
                    status: 200,
                    text: """
                        {"Code":"\(state.code)","LastUpdated":"2024-03-15T09:00:00Z","Type":"AWS-HMAC",
                         "AccessKeyId":"ASIAIMDS\(generation)","SecretAccessKey":"\(Self.secretPrefix)\(generation)",
                         "Token":"\(Self.tokenPrefix)\(generation)","Expiration":"\(state.expiration)"}
                        """
                )
            default:
                return .init(status: 404, text: "")
            }
        }
    }
}
