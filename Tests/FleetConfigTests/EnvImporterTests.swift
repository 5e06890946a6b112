import Testing
@testable import FleetConfig
import FleetCore

@Suite("import-env")
struct EnvImporterTests {
    /// The old app's README example, verbatim.
    static let oldEnv = """
        AWS_REGION=ap_south_1
        SECRET_KEY=lol
        DEBUG=False
        UPSCALE_MARGIN=4
        DOWNSCALE_MARGIN=18
        GAMESERVER_CAPACITY=10
        AWS_REGION=ap-south-1
        ECS_INSTANCE_LAUNCH_TEMPLATE=defaultECS
        GAMESERVER_TASK_DEFINITION=LaunchGameserver
        SLEEP_TIME=10
        BACKUP_GAMESERVER=127.0.0.1:8888
        """

    @Test func theOldExampleBecomesAnEquivalentValidFleet() throws {
        let result = try EnvImporter.convert(Self.oldEnv, file: ".env")
        let spec = try FleetLoader.parse(result.yaml, file: "imported.yaml")
        #expect(spec.provider == .ecs)
        #expect(spec.gameserver.capacity == 10)
        #expect(spec.gameserver.health.interval == .seconds(10))
        #expect(spec.scaling.upscaleMargin == 4)
        #expect(spec.scaling.downscaleMargin == 18)
        #expect(spec.allocation.backup == HostPort(host: "127.0.0.1", port: 8888))
        #expect(spec.ecs?.region == "ap-south-1")  // the later line wins, as in a shell
        #expect(spec.ecs?.taskDefinition == "LaunchGameserver")
        #expect(spec.ecs?.launchTemplate == "defaultECS")
        #expect(spec.ecs?.cluster == "default")
        #expect(result.notes.contains("SECRET_KEY is a Django setting; gamefleet has no use for it and dropped it"))
    }

    @Test func anUnderscoredRegionIsFixedAndNoted() throws {
        let result = try EnvImporter.convert("AWS_REGION=ap_south_1\nDOWNSCALE_MARGIN=20", file: ".env")
        #expect(try FleetLoader.parse(result.yaml).ecs?.region == "ap-south-1")
        #expect(result.notes.contains { $0.contains("underscores") })
    }

    @Test func aShortSleepGetsAShorterProbeTimeout() throws {
        let result = try EnvImporter.convert("SLEEP_TIME=1", file: ".env")
        let spec = try FleetLoader.parse(result.yaml)
        #expect(spec.gameserver.health.timeout == .milliseconds(500))
    }

    @Test func marginsThatWouldFlapAreFlagged() throws {
        let result = try EnvImporter.convert("UPSCALE_MARGIN=4\nDOWNSCALE_MARGIN=10\nGAMESERVER_CAPACITY=10", file: ".env")
        #expect(result.notes.contains { $0.contains("will refuse this until downscaleMargin is at least 15") })
        #expect(throws: ConfigErrors.self) { try FleetLoader.parse(result.yaml) }
    }

    @Test func aBadNumberNamesTheLine() {
        #expect {
            try EnvImporter.convert("UPSCALE_MARGIN=4\nGAMESERVER_CAPACITY=lots", file: "old.env")
        } throws: { error in
            (error as? EnvImporter.Failure)?.description == "old.env:2: GAMESERVER_CAPACITY: expected a whole number, got 'lots'"
        }
    }

    @Test func aLineWithoutEqualsNamesTheLine() {
        #expect {
            try EnvImporter.convert("# comment\nexport UPSCALE_MARGIN=4\nnonsense", file: "old.env")
        } throws: { error in
            (error as? EnvImporter.Failure)?.description == "old.env:3: expected NAME=value, got 'nonsense'"
        }
    }
}
