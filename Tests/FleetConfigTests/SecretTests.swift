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
