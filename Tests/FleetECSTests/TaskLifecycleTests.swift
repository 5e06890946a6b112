import FleetCore
import FleetECS
import Testing

@Suite("ECS statuses → lifecycle")
struct TaskLifecycleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var last: String?
        var desired: String?
        var expected: Lifecycle?
        var testDescription: String { "\(last ?? "nil")/\(desired ?? "nil") → \(expected.map(\.rawValue) ?? "gone")" }
    }

    static let cases: [Case] = [
        Case(last: "PROVISIONING", desired: "RUNNING", expected: .pending),
        Case(last: "PENDING", desired: "RUNNING", expected: .pending),
        Case(last: "ACTIVATING", desired: "RUNNING", expected: .pending),
        Case(last: nil, desired: "RUNNING", expected: .pending),
        Case(last: "SOMETHING_NEW", desired: "RUNNING", expected: .pending),
        Case(last: "RUNNING", desired: "RUNNING", expected: .running),
        Case(last: "running", desired: "running", expected: .running),
        Case(last: "RUNNING", desired: "STOPPED", expected: .stopping),
        Case(last: "PENDING", desired: "STOPPED", expected: .stopping),
        Case(last: "DEACTIVATING", desired: "STOPPED", expected: .stopping),
        Case(last: "DEACTIVATING", desired: "RUNNING", expected: .stopping),
        Case(last: "STOPPING", desired: "STOPPED", expected: .stopping),
        Case(last: "DEPROVISIONING", desired: "STOPPED", expected: .stopping),
        Case(last: "STOPPED", desired: "STOPPED", expected: nil),
        Case(last: "STOPPED", desired: "RUNNING", expected: nil),
    ]

    @Test(arguments: cases)
    func mapping(_ c: Case) {
        #expect(TaskLifecycle.of(lastStatus: c.last, desiredStatus: c.desired) == c.expected)
    }
}

@Suite("Names, tags and reasons")
struct FleetLabelsTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var fleet: String
        var expected: String
        var testDescription: String { "\(fleet) → \(expected)" }
    }

    static let cases: [Case] = [
        Case(fleet: "chess", expected: "gamefleet-chess"),
        Case(fleet: "a-26-character-fleet-name0", expected: "gamefleet-a-26-character-fleet-name0"),
        Case(fleet: "a-27-character-fleet-name01", expected: "gf-a-27-character-fleet-name01"),
        Case(fleet: "thirty-two-characters-long-name1", expected: "gf-thirty-two-characters-long-name1"),
        Case(fleet: "odd name!", expected: "gamefleet-odd_name_"),
    ]

    @Test(arguments: cases)
    func startedBy(_ c: Case) {
        let value = FleetLabels.startedBy(fleet: c.fleet)
        #expect(value == c.expected)
        #expect(value.count <= FleetLabels.startedByLimit)
    }

    @Test("Fleet names that differ give startedBy values that differ, across both forms")
    func distinct() {
        let names = ["x", "gf-x", "amefleet-x", String(repeating: "a", count: 26), String(repeating: "a", count: 27), String(repeating: "a", count: 32)]
        #expect(Set(names.map(FleetLabels.startedBy(fleet:))).count == names.count)
    }

    @Test("A stop reason names gamefleet and is cut to ECS's 255 characters")
    func stopReason() {
        #expect(FleetLabels.stopReason("in standby and ready to close") == "gamefleet: in standby and ready to close")
        let long = FleetLabels.stopReason(String(repeating: "x", count: 400))
        #expect(long.count == 255)
        #expect(long.hasPrefix("gamefleet: xxx"))
        #expect(long.hasSuffix("…"))
    }

    @Test("Task definition names: family, family:revision, ARN")
    func taskDefinitionNames() {
        #expect(TaskDefinitionName(parsing: "gameserver") == TaskDefinitionName(family: "gameserver"))
        #expect(TaskDefinitionName(parsing: "gameserver:12") == TaskDefinitionName(family: "gameserver", revision: 12))
        #expect(TaskDefinitionName(parsing: "arn:aws:ecs:us-east-1:1:task-definition/game-server:3") == TaskDefinitionName(family: "game-server", revision: 3))
        #expect(TaskDefinitionName(parsing: "odd:latest") == TaskDefinitionName(family: "odd:latest"))
    }

    struct CurrentCase: CustomTestStringConvertible, Sendable {
        var spec: String
        var latest: Int?
        var running: String
        var reported: String
        var launch: String
        var testDescription: String { "spec \(spec) (latest \(latest.map(String.init) ?? "unknown")), task \(running) → \(reported)" }
    }

    static let currentCases: [CurrentCase] = [
        CurrentCase(spec: "gameserver", latest: 4, running: "arn:aws:ecs:r:1:task-definition/gameserver:4", reported: "gameserver", launch: "gameserver:4"),
        CurrentCase(spec: "gameserver", latest: 4, running: "arn:aws:ecs:r:1:task-definition/gameserver:3", reported: "gameserver:3", launch: "gameserver:4"),
        CurrentCase(spec: "gameserver", latest: nil, running: "arn:aws:ecs:r:1:task-definition/gameserver:3", reported: "gameserver", launch: "gameserver"),
        CurrentCase(spec: "gameserver:3", latest: nil, running: "arn:aws:ecs:r:1:task-definition/gameserver:3", reported: "gameserver:3", launch: "gameserver:3"),
        CurrentCase(spec: "gameserver:3", latest: 9, running: "arn:aws:ecs:r:1:task-definition/gameserver:4", reported: "gameserver:4", launch: "gameserver:3"),
        CurrentCase(spec: "gameserver", latest: 4, running: "arn:aws:ecs:r:1:task-definition/other:4", reported: "other:4", launch: "gameserver:4"),
    ]

    @Test(arguments: currentCases)
    func currentTaskDefinition(_ c: CurrentCase) {
        let current = CurrentTaskDefinition(specName: c.spec, latestRevision: c.latest)
        #expect(current.reported(for: c.running) == c.reported)
        #expect(current.launchName == c.launch)
        // What the planner does with it: a plain comparison with the spec's string.
        #expect((current.reported(for: c.running) == c.spec) == current.isCurrent(c.running))
    }

    @Test("Client tokens: deterministic, different for different parts, within ECS's 64 characters")
    func clientTokens() {
        let token = ClientToken.derive(["fleet", "0"])
        #expect(token == ClientToken.derive(["fleet", "0"]))
        #expect(token != ClientToken.derive(["fleet", "1"]))
        #expect(ClientToken.derive(["ab", "c"]) != ClientToken.derive(["a", "bc"]))
        #expect(token.count == 35 && token.count <= 64)
    }
}
