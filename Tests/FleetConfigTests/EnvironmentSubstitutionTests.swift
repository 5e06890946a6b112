import Testing
@testable import FleetConfig

struct SubstitutionCase: Sendable, CustomTestStringConvertible {
    let text: String
    let expected: Result<String, EnvironmentSubstitution.Failure>
    var testDescription: String { text }
}

@Suite("${VAR} substitution")
struct EnvironmentSubstitutionTests {
    static let env = ["HOST": "10.0.0.1", "PORT": "9000", "EMPTY": ""]
    static let cases: [SubstitutionCase] = [
        .init(text: "plain", expected: .success("plain")),
        .init(text: "${HOST}:${PORT}", expected: .success("10.0.0.1:9000")),
        .init(text: "${MISSING:-fallback}", expected: .success("fallback")),
        .init(text: "${EMPTY:-fallback}", expected: .success("fallback")),
        .init(text: "${EMPTY}", expected: .success("")),
        .init(text: "cost $5", expected: .success("cost $5")),
        .init(text: "$${HOST}", expected: .success("${HOST}")),
        .init(text: "${MISSING}", expected: .failure(.unset("MISSING"))),
        .init(text: "${HOST", expected: .failure(.malformed("${HOST"))),
        .init(text: "${1BAD}", expected: .failure(.malformed("${1BAD}"))),
    ]

    @Test(arguments: cases)
    func substitutes(_ c: SubstitutionCase) {
        #expect(EnvironmentSubstitution.substitute(c.text, environment: Self.env) == c.expected)
    }
}
