import FleetCore
import Testing
@testable import FleetConfig

/// A value that came from `${VAR}` is never shown: errors, the fleet's identity and everything
/// masked through ``SecretValues`` show the reference instead.
@Suite("Secrets from the environment")
struct SecretTests {
    static let yaml = """
        name: demo
        provider: local
        gameserver: {capacity: 10}
        scaling: {upscaleMargin: 4, downscaleMargin: 18}
        local:
          command: [gs, "{port}", "--token", "${GS_TOKEN}"]

        """

    @Test func aSecretInTheCommandIsKeptAndMaskedInTheIdentity() throws {
        let spec = try FleetLoader.parse(Self.yaml, environment: ["GS_TOKEN": "s3cr3t-value"])
        #expect(spec.local?.command.last == "s3cr3t-value", "the gameserver itself still gets the value")
        #expect(spec.taskDefinition == "local:gs {port} --token ${GS_TOKEN}")
        #expect(spec.secrets.redact("started gs 7000 --token s3cr3t-value") == "started gs 7000 --token ${GS_TOKEN}")
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var environment: [String: String]
        var secret: String
        var testDescription: String { name }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(name: "a bad region from the environment",
                  yaml: "name: x\nprovider: ecs\ngameserver: {capacity: 10}\nscaling: {upscaleMargin: 4, downscaleMargin: 18}\necs: {region: \"${REGION}\", taskDefinition: t, gamePort: 1}\n",
                  environment: ["REGION": "NOT A REGION pw=xyz"], secret: "NOT A REGION pw=xyz"),
        ErrorCase(name: "a non-number from the environment",
                  yaml: "name: x\nprovider: local\ngameserver: {capacity: \"${CAP}\"}\nscaling: {upscaleMargin: 4, downscaleMargin: 18}\nlocal: {command: [a, \"{port}\"]}\n",
                  environment: ["CAP": "hunter2secret"], secret: "hunter2secret"),
        ErrorCase(name: "a bad endpoint from the environment",
                  yaml: "name: x\nprovider: ecs\ngameserver: {capacity: 10}\nscaling: {upscaleMargin: 4, downscaleMargin: 18}\necs: {region: eu-west-1, taskDefinition: t, gamePort: 1, endpoint: \"${EP}\"}\n",
                  environment: ["EP": "ftp://user:pa55word@host"], secret: "pa55word"),
    ]

    @Test(arguments: errorCases)
    func aRefusalNamesTheVariableNotItsValue(_ c: ErrorCase) throws {
        do {
            _ = try FleetLoader.parse(c.yaml, file: "fleet.yaml", environment: c.environment)
            Issue.record("accepted")
        } catch {
            let text = error.description
            #expect(!text.contains(c.secret), "the error shows the secret: \(text)")
            #expect(text.contains("${"), "the error should name the variable: \(text)")
        }
    }

    @Test func numbersFromTheEnvironmentAreNoSecrets() throws {
        let yaml = Self.yaml.replacingOccurrences(of: "capacity: 10", with: "capacity: \"${CAP}\"")
        let spec = try FleetLoader.parse(yaml, environment: ["CAP": "10", "GS_TOKEN": "tok-tok-tok"])
        #expect(spec.secrets.redact("10 players, token tok-tok-tok") == "10 players, token ${GS_TOKEN}")
    }
}

/// No open admin port by accident: a non-loopback admin face needs a token.
@Suite("Admin face settings")
struct AdminFaceSettingsTests {
    static let base = """
        name: demo
        provider: local
        gameserver: {capacity: 10}
        scaling: {upscaleMargin: 4, downscaleMargin: 18}
        local: {command: [gs, "{port}"]}

        """

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var admin: String
        var environment: [String: String] = [:]
        var error: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        .init(name: "default: loopback, no token", admin: "", error: nil),
        .init(name: "all interfaces without a token is refused", admin: "admin: {listen: 0.0.0.0:8001}",
              error: "admin.listen: 0.0.0.0:8001 is not a loopback address and no admin.token or admin.tokenFile is set"),
        .init(name: "a public address with a token", admin: "admin: {listen: 0.0.0.0:8001, token: \"${ADMIN_TOKEN}\"}", environment: ["ADMIN_TOKEN": "s3cret"], error: nil),
        .init(name: "an unset token variable", admin: "admin: {listen: 0.0.0.0:8001, token: \"${ADMIN_TOKEN}\"}",
              error: "admin.token: environment variable ADMIN_TOKEN is not set"),
        .init(name: "the public port again", admin: "listen: 127.0.0.1:9000\nadmin: {listen: 127.0.0.1:9000}",
              error: "admin.listen: is the same address as listen (127.0.0.1:9000)"),
        .init(name: "token and tokenFile", admin: "admin: {token: a-token, tokenFile: /nonexistent}",
              error: "admin.tokenFile: give admin.token or admin.tokenFile, not both"),
        .init(name: "a missing token file", admin: "admin: {tokenFile: /nonexistent/token}",
              error: "admin.tokenFile: cannot read a token from /nonexistent/token (no such file)"),
    ]

    @Test(arguments: cases)
    func adminFace(_ c: Case) {
        do {
            let spec = try FleetLoader.parse(Self.base + c.admin + "\n", file: "fleet.yaml", environment: c.environment)
            #expect(c.error == nil, "accepted, expected \(c.error ?? "")")
            if c.name.contains("with a token") { #expect(spec.admin.token == "s3cret") }
        } catch {
            guard let expected = c.error else { Issue.record("refused: \(error.description)"); return }
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }
}
