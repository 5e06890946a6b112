import FleetCore
import Testing

@Suite("--config: a file, ssm:NAME or s3://BUCKET/KEY")
struct ConfigLocationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var expected: ConfigLocation?
        var error: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        .init(name: "a relative path is a file", text: "fleet.yaml", expected: .file("fleet.yaml")),
        .init(name: "an absolute path is a file", text: "/etc/gamefleet/fleet.yaml", expected: .file("/etc/gamefleet/fleet.yaml")),
        .init(name: "ssm: takes a parameter name", text: "ssm:/gamefleet/chess/fleet.yaml", expected: .ssm(name: "/gamefleet/chess/fleet.yaml")),
        .init(name: "ssm: takes a name without a leading slash", text: "ssm:chess-fleet", expected: .ssm(name: "chess-fleet")),
        .init(name: "s3:// splits bucket and key at the first slash", text: "s3://my-fleets/chess/fleet.yaml", expected: .s3(bucket: "my-fleets", key: "chess/fleet.yaml")),
        .init(name: "ssm: without a name is refused", text: "ssm:", error: "ssm:: expected ssm:NAME with a parameter name without spaces, e.g. ssm:/gamefleet/fleet.yaml"),
        .init(name: "ssm:// is refused with the right form", text: "ssm://gamefleet/fleet", error: "ssm://gamefleet/fleet: an SSM parameter is written ssm:NAME (e.g. ssm:/gamefleet/fleet.yaml), without //"),
        .init(name: "s3:// without a key is refused", text: "s3://my-fleets", error: "s3://my-fleets: expected s3://BUCKET/KEY with both a bucket and a key, e.g. s3://my-fleets/chess/fleet.yaml"),
        .init(name: "s3:// with an empty key is refused", text: "s3://my-fleets/", error: "s3://my-fleets/: expected s3://BUCKET/KEY with both a bucket and a key, e.g. s3://my-fleets/chess/fleet.yaml"),
        .init(name: "s3:/ (one slash) is refused", text: "s3:/my-fleets/f.yaml", error: "s3:/my-fleets/f.yaml: an S3 object is written s3://BUCKET/KEY"),
    ]

    @Test(arguments: cases)
    func parsing(_ testCase: Case) {
        do {
            let location = try ConfigLocation(parsing: testCase.text)
            #expect(location == testCase.expected)
            #expect(location.description == testCase.text, "the location names itself as --config did")
        } catch {
            #expect(error.description == testCase.error)
        }
    }

    @Test("Relative file names in a config kept in AWS resolve against the working directory")
    func anchors() {
        #expect(ConfigLocation.file("conf/fleet.yaml").anchorPath(workingDirectory: "/srv") == "conf/fleet.yaml")
        #expect(ConfigLocation.ssm(name: "/x").anchorPath(workingDirectory: "/srv") == "/srv/fleet.yaml")
        #expect(ConfigLocation.s3(bucket: "b", key: "k/f.yaml").anchorPath(workingDirectory: "/srv/") == "/srv/fleet.yaml")
    }
}
