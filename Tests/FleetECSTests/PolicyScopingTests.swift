import FleetECS
import Foundation
import Testing

/// Least privilege, scoped: every statement of examples/iam-policy.json that grants a mutating
/// action names the fleet's own resources and carries the conditions that keep it to them
/// (AWS condition keys: `ecs:cluster`, `ecs:CreateAction`, `ec2:LaunchTemplate`,
/// `ec2:IsLaunchTemplateResource`, `ec2:CreateAction`, `aws:RequestTag/…`, `aws:ResourceTag/…`,
/// `aws:TagKeys`, `iam:PassedToService`). The tag keys are the code's own (``FleetLabels``).
@Suite("IAM policy scoping")
struct PolicyScopingTests {
    /// One statement, flattened: its actions, resources and `operator → key → values` conditions.
    struct Statement {
        var sid: String
        var actions: Set<String>
        var resources: [String]
        var conditions: [String: [String: [String]]]

        /// The values a condition key is tested against, under any operator.
        func values(_ key: String) -> [String] { conditions.values.flatMap { $0[key] ?? [] } }
        func has(_ key: String) -> Bool { conditions.values.contains { $0[key] != nil } }
    }

    static func statements() throws -> [Statement] {
        let data = try Data(contentsOf: PermissionsTests.root.appendingPathComponent("examples/iam-policy.json"))
        let policy = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(policy["Statement"] as? [[String: Any]]).map { raw in
            func strings(_ value: Any?) -> [String] { (value as? [String]) ?? ((value as? String).map { [$0] } ?? []) }
            var conditions: [String: [String: [String]]] = [:]
            for (op, keys) in raw["Condition"] as? [String: [String: Any]] ?? [:] {
                conditions[op] = keys.mapValues(strings)
            }
            return Statement(sid: raw["Sid"] as? String ?? "?", actions: Set(strings(raw["Action"])), resources: strings(raw["Resource"]), conditions: conditions)
        }
    }

    static let fleetTagCondition = "aws:ResourceTag/\(FleetLabels.fleetTag)"
    static let fleetRequestTag = "aws:RequestTag/\(FleetLabels.fleetTag)"
    static let cluster = "arn:aws:ecs:REGION:ACCOUNT_ID:cluster/CLUSTER"
    static let clusterTasks = "arn:aws:ecs:REGION:ACCOUNT_ID:task/CLUSTER/*"
    static let template = "arn:aws:ec2:REGION:ACCOUNT_ID:launch-template/LAUNCH_TEMPLATE_ID"

    struct Scope: Sendable, CustomTestStringConvertible {
        var action: String
        var rule: String
        /// What every statement granting `action` must satisfy; nil when it does, else why not.
        var check: @Sendable (Statement) -> String?
        var testDescription: String { "\(action): \(rule)" }
    }

    static let scopes: [Scope] = [
        Scope(action: "ecs:RunTask", rule: "only the fleet's task definition family, in its cluster, tagged with the fleet") { s in
            s.resources == ["arn:aws:ecs:REGION:ACCOUNT_ID:task-definition/FAMILY:*"] && s.values("ecs:cluster") == [cluster]
                && s.values(fleetRequestTag) == ["FLEET"] ? nil : "resources \(s.resources), conditions \(s.conditions)"
        },
        Scope(action: "ecs:StopTask", rule: "only tasks in the fleet's cluster carrying the fleet's tag") { s in
            s.resources == [clusterTasks] && s.values("ecs:cluster") == [cluster] && s.values(fleetTagCondition) == ["FLEET"]
                ? nil : "resources \(s.resources), conditions \(s.conditions)"
        },
        Scope(action: "ecs:TagResource", rule: "the cluster's tasks: at their RunTask, or the standby tag on the fleet's tasks") { s in
            guard s.resources == [clusterTasks] else { return "resources \(s.resources)" }
            let atLaunch = s.values("ecs:CreateAction") == ["RunTask"] && s.values(fleetRequestTag) == ["FLEET"]
            let standby = s.values(fleetTagCondition) == ["FLEET"] && s.values("aws:TagKeys") == [FleetLabels.standbyTag]
            return atLaunch || standby ? nil : "conditions \(s.conditions)"
        },
        Scope(action: "ecs:UntagResource", rule: "only the standby tag, only on the fleet's tasks in its cluster") { s in
            s.resources == [clusterTasks] && s.values(fleetTagCondition) == ["FLEET"] && s.values("aws:TagKeys") == [FleetLabels.standbyTag]
                ? nil : "resources \(s.resources), conditions \(s.conditions)"
        },
        Scope(action: "ec2:RunInstances", rule: "only with the fleet's launch template; the instance tagged with the fleet; nothing but the template's resources") { s in
            guard s.values("ec2:LaunchTemplate") == [template], !s.resources.contains("*") else { return "resources \(s.resources), conditions \(s.conditions)" }
            let instances = s.resources.contains { $0.contains(":instance/") }
            if instances { return s.values(fleetRequestTag) == ["FLEET"] ? nil : "instances without the fleet's tag: \(s.conditions)" }
            return s.values("ec2:IsLaunchTemplateResource") == ["true"] ? nil : "other resources not held to the template's: \(s.conditions)"
        },
        Scope(action: "ec2:CreateTags", rule: "only the instances RunInstances starts, with the fleet's tag") { s in
            s.values("ec2:CreateAction") == ["RunInstances"] && s.values(fleetRequestTag) == ["FLEET"] && s.resources.allSatisfy { $0.contains(":instance/") }
                ? nil : "resources \(s.resources), conditions \(s.conditions)"
        },
        Scope(action: "ec2:TerminateInstances", rule: "only instances carrying the fleet's tag") { s in
            s.resources.allSatisfy { $0.contains(":instance/") } && s.values(fleetTagCondition) == ["FLEET"]
                ? nil : "resources \(s.resources), conditions \(s.conditions)"
        },
        Scope(action: "iam:PassRole", rule: "named roles, to ECS tasks or EC2 only") { s in
            !s.resources.contains("*") && s.resources.allSatisfy { $0.hasPrefix("arn:aws:iam::ACCOUNT_ID:role/") }
                && ["ecs-tasks.amazonaws.com", "ec2.amazonaws.com"].contains(s.values("iam:PassedToService").first ?? "")
                ? nil : "resources \(s.resources), conditions \(s.conditions)"
        },
    ]

    @Test(arguments: scopes)
    func eachMutatingActionIsScoped(_ scope: Scope) throws {
        let granting = try Self.statements().filter { $0.actions.contains(scope.action) }
        #expect(!granting.isEmpty, "no statement grants \(scope.action)")
        for statement in granting {
            if let why = scope.check(statement) { Issue.record("\(statement.sid) grants \(scope.action) too widely: \(why)") }
        }
    }

    @Test("Every ECS, EC2 and IAM action gamefleet can call that changes something is scoped above; the reads are kept to the cluster where AWS allows it")
    func nothingMutatingIsLeftOut() throws {
        let scoped = Set(Self.scopes.map(\.action))
        // The ECS provider's services; another feature's service (a store for high availability)
        // is scoped by its own statement and test.
        let mutating = AWSPermissions.actions.filter { action in
            let parts = action.split(separator: ":")
            guard let service = parts.first, ["ecs", "ec2", "iam"].contains(service), let name = parts.last else { return false }
            return !name.hasPrefix("Describe") && !name.hasPrefix("List")
        }
        #expect(mutating == scoped, "mutating actions without a scoping rule: \(mutating.subtracting(scoped).sorted())")
        // Describe*/List* of tasks and container instances take the cluster condition; the rest
        // (DescribeTaskDefinition, EC2's Describe*) support no resource-level scoping at all.
        for statement in try Self.statements() where !statement.actions.isDisjoint(with: ["ecs:ListTasks", "ecs:DescribeTasks", "ecs:ListContainerInstances", "ecs:DescribeContainerInstances"]) {
            #expect(statement.values("ecs:cluster") == [Self.cluster], "\(statement.sid) reads outside the fleet's cluster")
        }
    }
}
