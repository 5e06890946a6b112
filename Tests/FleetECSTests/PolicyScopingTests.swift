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
        // ListTasks and the Describe calls of tasks and container instances take the cluster
        // condition, the Describe calls on the cluster's own ARNs besides; ListContainerInstances
        // has no `ecs:cluster` key and takes the cluster itself as its resource. The rest
        // (DescribeTaskDefinition, EC2's Describe*) support no resource-level scoping at all.
        let statements = try Self.statements()
        for statement in statements where !statement.actions.isDisjoint(with: ["ecs:ListTasks", "ecs:DescribeTasks", "ecs:DescribeContainerInstances"]) {
            #expect(statement.values("ecs:cluster") == [Self.cluster], "\(statement.sid) reads outside the fleet's cluster")
        }
        for statement in statements where !statement.actions.isDisjoint(with: ["ecs:DescribeTasks", "ecs:DescribeContainerInstances"]) {
            let clusters = [Self.clusterTasks, "arn:aws:ecs:REGION:ACCOUNT_ID:container-instance/CLUSTER/*"]
            #expect(statement.resources.allSatisfy(clusters.contains), "\(statement.sid) describes outside the fleet's cluster: \(statement.resources)")
        }
        for statement in statements where statement.actions.contains("ecs:ListContainerInstances") {
            #expect(statement.resources == [Self.cluster], "\(statement.sid) lists hosts outside the fleet's cluster: \(statement.resources)")
        }
    }
}

/// The policy against what AWS documents, action by action: every condition key a statement tests
/// is one its action supports, and every resource it names is of a type its action takes.
///
/// Why it matters: IAM does not reject a condition on a key the request never carries. An
/// `ArnEquals` on such a key never matches, so the statement silently grants nothing
/// (`ecs:cluster` on `ecs:ListContainerInstances` left launch template mode unable to list its
/// hosts); a `ForAllValues:` one always matches, so it silently restricts nothing
/// (`dynamodb:LeadingKeys` on `dynamodb:DescribeTable`). Neither shows up against moto, which
/// enforces no policy, so the table below is the reference the test holds the policy to.
@Suite("IAM policy against the Service Authorization Reference")
struct PolicyAuthorizationReferenceTests {
    /// What the Service Authorization Reference documents for one action.
    struct Documented: Sendable, CustomTestStringConvertible {
        var action: String
        /// The resource types the action takes, as ARNs with the policy's placeholders and `*`
        /// for the name part. Empty: the action supports no resource-level permissions, and its
        /// statement names `"*"`.
        var resources: [String]
        /// The condition keys the action supports: the keys of its row in the Actions table plus
        /// those of its resource types in the Resource types table. A key ending in `/` stands for
        /// the whole family (`aws:RequestTag/` is `aws:RequestTag/${TagKey}`).
        var conditionKeys: Set<String>
        /// True where AWS's own examples name `"*"` although the action has a resource type
        /// (see ``reference`` for `ecs:ListTasks`).
        var starAsDocumented = false
        var testDescription: String { action }

        func supports(_ key: String) -> Bool {
            conditionKeys.contains(key) || conditionKeys.contains { $0.hasSuffix("/") && key.hasPrefix($0) }
        }

        func takes(_ resource: String) -> Bool {
            resources.contains { pattern in
                guard let star = pattern.firstIndex(of: "*") else { return resource == pattern }
                return resource.hasPrefix(pattern[..<star])
            }
        }
    }

    static let region = "REGION"
    static let account = "ACCOUNT_ID"

    /// The table, read from the Service Authorization Reference
    /// (https://docs.aws.amazon.com/service-authorization/latest/reference/), pages
    /// "Actions, resources, and condition keys for Amazon Elastic Container Service"
    /// (list_amazonelasticcontainerservice.html), "… for Amazon EC2" (list_amazonec2.html),
    /// "… for AWS Identity and Access Management" (list_identityandaccessmanagementiam.html) and
    /// "… for Amazon DynamoDB" (list_amazondynamodb.html), and the two config sources' pages below,
    /// for the actions gamefleet's policy grants.
    /// For RunInstances, CreateTags and TerminateInstances only the keys a fleet's policy could
    /// reasonably test are listed (EC2 documents dozens more per resource type); leaving one out
    /// makes this test stricter than AWS, never looser.
    static let reference: [Documented] = [
        // ListTasks' resource type is `container-instance`, which a Fargate cluster has none of;
        // the ECS developer guide's "List and describe task examples" scope it with `"*"` and
        // `ecs:cluster`, which the action supports.
        Documented(action: "ecs:ListTasks", resources: ["arn:aws:ecs:\(region):\(account):container-instance/*"],
                   conditionKeys: ["aws:ResourceTag/", "ecs:cluster"], starAsDocumented: true),
        Documented(action: "ecs:DescribeTasks", resources: ["arn:aws:ecs:\(region):\(account):task/*"],
                   conditionKeys: ["aws:ResourceTag/", "ecs:cluster", "ecs:ResourceTag/"]),
        // The cluster is the resource; the action has no `ecs:cluster` key.
        Documented(action: "ecs:ListContainerInstances", resources: ["arn:aws:ecs:\(region):\(account):cluster/*"],
                   conditionKeys: ["aws:ResourceTag/", "ecs:ResourceTag/"]),
        Documented(action: "ecs:DescribeContainerInstances", resources: ["arn:aws:ecs:\(region):\(account):container-instance/*"],
                   conditionKeys: ["aws:ResourceTag/", "ecs:cluster", "ecs:ResourceTag/"]),
        Documented(action: "ecs:DescribeTaskDefinition", resources: [], conditionKeys: []),
        Documented(action: "ecs:RunTask", resources: ["arn:aws:ecs:\(region):\(account):task-definition/*"],
                   conditionKeys: ["aws:ResourceTag/", "aws:RequestTag/", "aws:TagKeys", "ecs:cluster", "ecs:capacity-provider",
                                   "ecs:enable-ebs-volumes", "ecs:enable-execute-command", "ecs:ResourceTag/"]),
        Documented(action: "ecs:StopTask", resources: ["arn:aws:ecs:\(region):\(account):task/*"],
                   conditionKeys: ["aws:ResourceTag/", "ecs:cluster", "ecs:ResourceTag/"]),
        Documented(action: "ecs:TagResource", resources: [
            "arn:aws:ecs:\(region):\(account):capacity-provider/*", "arn:aws:ecs:\(region):\(account):cluster/*",
            "arn:aws:ecs:\(region):\(account):container-instance/*", "arn:aws:ecs:\(region):\(account):service/*",
            "arn:aws:ecs:\(region):\(account):task/*", "arn:aws:ecs:\(region):\(account):task-definition/*",
            "arn:aws:ecs:\(region):\(account):task-set/*",
        ], conditionKeys: ["aws:ResourceTag/", "aws:RequestTag/", "aws:TagKeys", "ecs:CreateAction", "ecs:ResourceTag/"]),
        Documented(action: "ecs:UntagResource", resources: [
            "arn:aws:ecs:\(region):\(account):capacity-provider/*", "arn:aws:ecs:\(region):\(account):cluster/*",
            "arn:aws:ecs:\(region):\(account):container-instance/*", "arn:aws:ecs:\(region):\(account):service/*",
            "arn:aws:ecs:\(region):\(account):task/*", "arn:aws:ecs:\(region):\(account):task-definition/*",
            "arn:aws:ecs:\(region):\(account):task-set/*",
        ], conditionKeys: ["aws:ResourceTag/", "aws:TagKeys", "ecs:ResourceTag/"]),
        Documented(action: "ec2:DescribeInstances", resources: [], conditionKeys: ["ec2:Region"]),
        Documented(action: "ec2:DescribeNetworkInterfaces", resources: [], conditionKeys: ["ec2:Region"]),
        Documented(action: "ec2:RunInstances", resources: [
            "arn:aws:ec2:\(region)::image/*", "arn:aws:ec2:\(region):\(account):instance/*",
            "arn:aws:ec2:\(region):\(account):network-interface/*", "arn:aws:ec2:\(region):\(account):security-group/*",
            "arn:aws:ec2:\(region):\(account):subnet/*", "arn:aws:ec2:\(region):\(account):volume/*",
            "arn:aws:ec2:\(region):\(account):key-pair/*", "arn:aws:ec2:\(region):\(account):launch-template/*",
            "arn:aws:ec2:\(region):\(account):placement-group/*", "arn:aws:ec2:\(region):\(account):capacity-reservation/*",
            "arn:aws:ec2:\(region)::snapshot/*",
        ], conditionKeys: ["aws:RequestTag/", "aws:ResourceTag/", "aws:TagKeys", "ec2:LaunchTemplate", "ec2:IsLaunchTemplateResource",
                           "ec2:InstanceType", "ec2:InstanceProfile", "ec2:ImageID", "ec2:Subnet", "ec2:SubnetID", "ec2:Vpc",
                           "ec2:SecurityGroupID", "ec2:AvailabilityZone", "ec2:ResourceTag/", "ec2:Region"]),
        Documented(action: "ec2:CreateTags", resources: [
            "arn:aws:ec2:\(region):\(account):instance/*", "arn:aws:ec2:\(region):\(account):volume/*",
            "arn:aws:ec2:\(region):\(account):network-interface/*",
        ], conditionKeys: ["aws:RequestTag/", "aws:ResourceTag/", "aws:TagKeys", "ec2:CreateAction", "ec2:ResourceTag/", "ec2:Region",
                           "ec2:InstanceType", "ec2:InstanceProfile", "ec2:AvailabilityZone"]),
        Documented(action: "ec2:TerminateInstances", resources: ["arn:aws:ec2:\(region):\(account):instance/*"],
                   conditionKeys: ["aws:ResourceTag/", "ec2:ResourceTag/", "ec2:InstanceID", "ec2:InstanceType", "ec2:InstanceProfile",
                                   "ec2:AvailabilityZone", "ec2:Region"]),
        Documented(action: "iam:PassRole", resources: ["arn:aws:iam::\(account):role/*"],
                   conditionKeys: ["iam:PassedToService", "iam:AssociatedResourceArn", "aws:ResourceTag/", "iam:ResourceTag/"]),
        // fleet.yaml kept in AWS ("… for AWS Systems Manager", list_awssystemsmanager.html, and
        // "… for Amazon S3", list_amazons3.html). GetParameter's row lists no key of its own; its
        // resource type `parameter` has the tag keys. GetObject's row lists S3's request keys; its
        // resource type is `object` (BUCKET/KEY), which has none.
        Documented(action: "ssm:GetParameter", resources: ["arn:aws:ssm:\(region):\(account):parameter/*"],
                   conditionKeys: ["aws:ResourceTag/", "ssm:resourceTag/"]),
        Documented(action: "s3:GetObject", resources: ["arn:aws:s3:::*/*"],
                   conditionKeys: ["s3:AccessGrantsInstanceArn", "s3:AccessPointNetworkOrigin", "s3:DataAccessPointAccount",
                                   "s3:DataAccessPointArn", "s3:ExistingObjectTag/", "s3:ResourceAccount", "s3:TlsVersion",
                                   "s3:authType", "s3:signatureAge", "s3:signatureversion", "s3:x-amz-content-sha256"]),
        // DescribeTable's row lists no condition key: the table's tags (its resource type's key)
        // are all a statement can test; `dynamodb:LeadingKeys` belongs to the item actions.
        Documented(action: "dynamodb:DescribeTable", resources: ["arn:aws:dynamodb:\(region):\(account):table/*"],
                   conditionKeys: ["aws:ResourceTag/"]),
        Documented(action: "dynamodb:GetItem", resources: ["arn:aws:dynamodb:\(region):\(account):table/*"],
                   conditionKeys: ["aws:ResourceTag/", "dynamodb:Attributes", "dynamodb:EnclosingOperation", "dynamodb:LeadingKeys",
                                   "dynamodb:ReturnConsumedCapacity", "dynamodb:Select"]),
        Documented(action: "dynamodb:PutItem", resources: ["arn:aws:dynamodb:\(region):\(account):table/*"],
                   conditionKeys: ["aws:ResourceTag/", "dynamodb:Attributes", "dynamodb:EnclosingOperation", "dynamodb:LeadingKeys",
                                   "dynamodb:ReturnConsumedCapacity", "dynamodb:ReturnValues"]),
        Documented(action: "dynamodb:DeleteItem", resources: ["arn:aws:dynamodb:\(region):\(account):table/*"],
                   conditionKeys: ["aws:ResourceTag/", "dynamodb:Attributes", "dynamodb:EnclosingOperation", "dynamodb:LeadingKeys",
                                   "dynamodb:ReturnConsumedCapacity", "dynamodb:ReturnValues"]),
    ]

    /// Keys the reference lists per action: the service's own and the three tag families. Any
    /// other `aws:` key is global (`aws:SourceVpc`, `aws:PrincipalTag/…`) and valid everywhere.
    static func isPerActionKey(_ key: String) -> Bool {
        !key.hasPrefix("aws:") || key.hasPrefix("aws:RequestTag/") || key.hasPrefix("aws:ResourceTag/") || key == "aws:TagKeys"
    }

    @Test("The table covers exactly the actions gamefleet needs")
    func tableCoversTheActions() {
        #expect(Set(Self.reference.map(\.action)) == AWSPermissions.actions)
        #expect(Self.reference.count == Set(Self.reference.map(\.action)).count, "an action listed twice")
    }

    @Test(arguments: reference)
    func everyConditionKeyIsOneTheActionSupports(_ documented: Documented) throws {
        let granting = try PolicyScopingTests.statements().filter { $0.actions.contains(documented.action) }
        #expect(!granting.isEmpty, "no statement grants \(documented.action)")
        for statement in granting {
            let keys = Set(statement.conditions.values.flatMap(\.keys)).filter(Self.isPerActionKey)
            for key in keys.sorted() where !documented.supports(key) {
                Issue.record("\(statement.sid): \(documented.action) does not support the condition key \(key) (the Service Authorization Reference lists \(documented.conditionKeys.sorted())); move it to a statement of its own without that key, or name the resource instead")
            }
        }
    }

    @Test(arguments: reference)
    func everyResourceIsOfATypeTheActionTakes(_ documented: Documented) throws {
        for statement in try PolicyScopingTests.statements() where statement.actions.contains(documented.action) {
            if documented.resources.isEmpty {
                #expect(statement.resources == ["*"], "\(statement.sid): \(documented.action) supports no resource-level permissions; its Resource must be \"*\"")
                continue
            }
            if statement.resources == ["*"] {
                #expect(documented.starAsDocumented, "\(statement.sid): \(documented.action) takes \(documented.resources); name them rather than \"*\"")
                continue
            }
            let taken = statement.resources.filter(documented.takes)
            #expect(!taken.isEmpty, "\(statement.sid): none of \(statement.resources) is a resource \(documented.action) takes (\(documented.resources))")
            // A resource no action of the statement takes is a typo, or a grant meant for another statement.
            let others = Self.reference.filter { statement.actions.contains($0.action) }
            for resource in statement.resources where !others.contains(where: { $0.takes(resource) }) {
                Issue.record("\(statement.sid): no action of the statement takes \(resource)")
            }
        }
    }
}
