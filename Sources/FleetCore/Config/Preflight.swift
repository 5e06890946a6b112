/// `gamefleet check`: what a fleet needs in AWS before its first pass, judged from what AWS said.
///
/// Pure, like the planner: ``questions(for:)`` says what to look up for a fleet, a prober (in
/// FleetECS) asks AWS and fills in ``PreflightFacts``, and ``findings(spec:facts:)`` turns the
/// answers into one finding per fleet.yaml key, each problem with its fix.
public enum Preflight {
    /// What to look up for `spec`: only what the fleet uses.
    public static func questions(for spec: FleetSpec) -> PreflightQuestions {
        var questions = PreflightQuestions()
        if let ecs = spec.ecs, spec.provider == .ecs {
            questions.cluster = ecs.cluster
            questions.taskDefinition = ecs.taskDefinition
            questions.subnets = ecs.subnets
            questions.securityGroups = ecs.securityGroups
            questions.launchTemplate = ecs.launchTemplate.map(LaunchTemplateReference.init(parsing:))
        }
        questions.leaseTable = spec.ha?.table
        questions.needsAWS = spec.provider == .ecs || spec.ha != nil
        return questions
    }

    /// One finding per key `spec` uses, in the order an operator fixes them: the config, the
    /// credentials, then the cluster and what runs in it.
    public static func findings(spec: FleetSpec, facts: PreflightFacts) -> [PreflightFinding] {
        var findings: [PreflightFinding] = [
            .ok("--config", "read \(facts.configSource)"),
        ]
        let questions = questions(for: spec)
        guard questions.needsAWS else {
            findings.append(.ok("provider", "provider \(spec.provider.rawValue) without ha: nothing in AWS to check"))
            return findings
        }
        findings.append(credentialsFinding(facts.credentials))
        if let ecs = spec.ecs, spec.provider == .ecs {
            findings += clusterFindings(ecs, facts.cluster)
            findings += taskDefinitionFindings(ecs, facts.taskDefinition)
            if !ecs.subnets.isEmpty {
                findings.append(networkFinding(key: "ecs.subnets", kind: "subnet", listed: ecs.subnets, region: ecs.region, facts.subnets,
                                               lister: "aws ec2 describe-subnets --region \(ecs.region)", action: "ec2:DescribeSubnets"))
            }
            if !ecs.securityGroups.isEmpty {
                findings.append(networkFinding(key: "ecs.securityGroups", kind: "security group", listed: ecs.securityGroups, region: ecs.region,
                                               facts.securityGroups, lister: "aws ec2 describe-security-groups --region \(ecs.region)",
                                               action: "ec2:DescribeSecurityGroups"))
            }
            if let reference = questions.launchTemplate {
                findings.append(launchTemplateFinding(reference, region: ecs.region, facts.launchTemplate))
            }
        }
        if let table = questions.leaseTable {
            findings.append(leaseTableFinding(table, facts.leaseTable))
        }
        return findings
    }

    // MARK: - One key each

    static func credentialsFinding(_ lookup: PreflightLookup<String>) -> PreflightFinding {
        switch lookup {
        case .found(let who):
            return .ok("AWS credentials", who)
        case .missing, .unreadable, .notChecked:
            return .problem(
                "AWS credentials", "no AWS credentials: \(lookup.reason ?? "none found")",
                fix: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), or run where a role is attached (ECS task, EC2 instance, CI's OIDC role)")
        }
    }

    static func clusterFindings(_ ecs: ECSSpec, _ lookup: PreflightLookup<PreflightFacts.Cluster>?) -> [PreflightFinding] {
        let create = "aws ecs create-cluster --cluster-name \(ecs.cluster) --region \(ecs.region)"
        var findings: [PreflightFinding] = []
        let strategyKey = "ecs.capacityProviderStrategy"
        let wanted = ecs.capacityProviderStrategy.map(\.capacityProvider)
        switch lookup ?? .notChecked("not asked") {
        case .found(let cluster):
            if cluster.status == "ACTIVE" {
                findings.append(.ok("ecs.cluster", "cluster \(ecs.cluster) is ACTIVE in \(ecs.region)"))
            } else {
                findings.append(.problem("ecs.cluster", "cluster \(ecs.cluster) is \(cluster.status), not ACTIVE: ECS places no task in it",
                                         fix: "use an ACTIVE cluster, or make one: \(create)"))
            }
            if !wanted.isEmpty {
                let missing = wanted.filter { !cluster.capacityProviders.contains($0) }
                if missing.isEmpty {
                    findings.append(.ok(strategyKey, "cluster \(ecs.cluster) has \(wanted.joined(separator: ", ")) attached"))
                } else {
                    let has = cluster.capacityProviders.isEmpty ? "none" : cluster.capacityProviders.joined(separator: ", ")
                    let all = (cluster.capacityProviders + missing).joined(separator: " ")
                    findings.append(.problem(
                        strategyKey,
                        "capacity provider\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) not attached to cluster \(ecs.cluster) (attached: \(has)); RunTask with this strategy fails",
                        fix: "aws ecs put-cluster-capacity-providers --cluster \(ecs.cluster) --capacity-providers \(all) --default-capacity-provider-strategy … (the call replaces both lists: repeat the cluster's default strategy)"))
                }
            }
        case .missing:
            findings.append(.problem("ecs.cluster", "cluster \(ecs.cluster) does not exist in \(ecs.region)", fix: "create it (\(create)), or correct ecs.cluster or ecs.region"))
            if !wanted.isEmpty { findings.append(.notChecked(strategyKey, "the cluster does not exist")) }
        case .unreadable(let why):
            findings.append(.problem("ecs.cluster", "could not ask ECS about cluster \(ecs.cluster): \(why)", fix: unreadableFix("ecs:DescribeClusters")))
            if !wanted.isEmpty { findings.append(.notChecked(strategyKey, "the cluster could not be read")) }
        case .notChecked(let why):
            findings.append(.notChecked("ecs.cluster", why))
            if !wanted.isEmpty { findings.append(.notChecked(strategyKey, why)) }
        }
        return findings
    }

    static func taskDefinitionFindings(_ ecs: ECSSpec, _ lookup: PreflightLookup<PreflightFacts.TaskDefinition>?) -> [PreflightFinding] {
        let key = "ecs.taskDefinition"
        switch lookup ?? .notChecked("not asked") {
        case .found(let definition):
            var findings: [PreflightFinding] = [.ok(key, "\(ecs.taskDefinition) is \(definition.name) (network mode \(definition.networkMode))")]
            if definition.containerPorts.contains(ecs.gamePort) {
                findings.append(.ok("ecs.gamePort", "\(definition.name) maps container port \(ecs.gamePort)"))
            } else {
                let maps = definition.containerPorts.isEmpty ? "no port at all" : "only \(definition.containerPorts.map(String.init).joined(separator: ", "))"
                findings.append(.problem(
                    "ecs.gamePort", "\(definition.name) maps no container port \(ecs.gamePort) (it maps \(maps)): players and probes could not reach the gameserver",
                    fix: "add {\"containerPort\": \(ecs.gamePort)} to the gameserver container's portMappings and register a new revision, or set ecs.gamePort to the port it maps"))
            }
            let usesFargate = ecs.launchType == .fargate
            if usesFargate && definition.networkMode != "awsvpc" {
                findings.append(.problem(
                    "ecs.launchType", "Fargate runs only awsvpc task definitions; \(definition.name) uses \(definition.networkMode)",
                    fix: "register the task definition with \"networkMode\": \"awsvpc\", or use the EC2 launch type"))
            }
            if definition.networkMode == "awsvpc" && ecs.subnets.isEmpty {
                findings.append(.problem(
                    "ecs.subnets", "\(definition.name) uses awsvpc networking: RunTask needs subnets, and ecs.subnets lists none",
                    fix: "list the subnets (and ecs.securityGroups) the gameservers run in"))
            }
            return findings
        case .missing:
            return [.problem(key, "task definition \(ecs.taskDefinition) does not exist in \(ecs.region) (or has no ACTIVE revision)",
                             fix: "register it (aws ecs register-task-definition --cli-input-json file://task-definition.json), or correct ecs.taskDefinition")]
        case .unreadable(let why):
            return [.problem(key, "could not ask ECS about task definition \(ecs.taskDefinition): \(why)", fix: unreadableFix("ecs:DescribeTaskDefinition"))]
        case .notChecked(let why):
            return [.notChecked(key, why)]
        }
    }

    static func networkFinding(
        key: String, kind: String, listed: [String], region: String, _ lookup: PreflightLookup<Set<String>>?, lister: String, action: String
    ) -> PreflightFinding {
        switch lookup ?? .notChecked("not asked") {
        case .found(let existing):
            let missing = listed.filter { !existing.contains($0) }
            if missing.isEmpty { return .ok(key, "\(listed.count) \(kind)\(listed.count == 1 ? "" : "s") exist in \(region)") }
            return .problem(key, "\(kind)\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) \(missing.count == 1 ? "does" : "do") not exist in \(region)",
                            fix: "correct \(key) (\(lister) lists those there are)")
        case .missing:
            return .problem(key, "none of the \(kind)s listed exist in \(region)", fix: "correct \(key) (\(lister) lists those there are)")
        case .unreadable(let why):
            return .problem(key, "could not ask EC2 about the \(kind)s: \(why)", fix: unreadableFix(action))
        case .notChecked(let why):
            return .notChecked(key, why)
        }
    }

    static func launchTemplateFinding(_ reference: LaunchTemplateReference, region: String, _ lookup: PreflightLookup<PreflightFacts.LaunchTemplate>?) -> PreflightFinding {
        let key = "ecs.launchTemplate"
        switch lookup ?? .notChecked("not asked") {
        case .found(let template):
            if let pinned = reference.version.flatMap({ Int($0) }), let latest = template.latestVersion, pinned > latest {
                return .problem(key, "launch template \(template.name) has no version \(pinned) (its latest is \(latest))",
                                fix: "pin an existing version (\(template.name):\(latest)), or create version \(pinned)")
            }
            let version = reference.version.map { " version \($0)" } ?? " (its default version)"
            return .ok(key, "launch template \(template.name)\(version) exists; latest version \(template.latestVersion.map(String.init) ?? "?")")
        case .missing:
            return .problem(key, "launch template \(reference.template) does not exist in \(region)",
                            fix: "create it (aws ec2 create-launch-template; its user data must join the instance to the cluster), or correct ecs.launchTemplate")
        case .unreadable(let why):
            return .problem(key, "could not ask EC2 about launch template \(reference.template): \(why)", fix: unreadableFix("ec2:DescribeLaunchTemplates"))
        case .notChecked(let why):
            return .notChecked(key, why)
        }
    }

    static func leaseTableFinding(_ table: String, _ lookup: PreflightLookup<String?>?) -> PreflightFinding {
        let key = "ha.table"
        switch lookup ?? .notChecked("not asked") {
        case .found(nil):
            return .ok(key, "lease table \(table) exists with the key serve expects")
        case .found(let problem?):
            return .problem(key, problem, fix: nil)
        case .missing:
            return .problem(key, "lease table \(table) does not exist", fix: nil)
        case .unreadable(let why):
            return .problem(key, "could not ask DynamoDB about table \(table): \(why)", fix: unreadableFix("dynamodb:DescribeTable"))
        case .notChecked(let why):
            return .notChecked(key, why)
        }
    }

    static func unreadableFix(_ action: String) -> String {
        "check needs \(action) (docs/production-workflow.md lists what it reads); with it granted, the error is AWS's: retry, or fix what it names"
    }
}

/// What ``Preflight`` looks up for a fleet.
public struct PreflightQuestions: Sendable, Equatable {
    public var needsAWS = false
    public var cluster: String?
    public var taskDefinition: String?
    public var subnets: [String] = []
    public var securityGroups: [String] = []
    public var launchTemplate: LaunchTemplateReference?
    public var leaseTable: String?

    public init() {}
}

/// The answer to one lookup.
public enum PreflightLookup<Value: Sendable & Equatable>: Sendable, Equatable {
    /// It exists, and this is what AWS said of it.
    case found(Value)
    /// AWS said there is no such thing.
    case missing
    /// AWS could not be asked, or refused (AccessDenied, throttled, unreachable): its words.
    case unreadable(String)
    /// Not asked, and why (no credentials).
    case notChecked(String)

    /// Why it is not ``found(_:)``, in words.
    public var reason: String? {
        switch self {
        case .found: nil
        case .missing: "not found"
        case .unreadable(let why), .notChecked(let why): why
        }
    }
}

/// What AWS said about everything ``PreflightQuestions`` asked; nil where nothing was asked.
public struct PreflightFacts: Sendable, Equatable {
    public struct Cluster: Sendable, Equatable {
        public var status: String
        public var capacityProviders: [String]
        public init(status: String, capacityProviders: [String]) {
            self.status = status
            self.capacityProviders = capacityProviders
        }
    }

    public struct TaskDefinition: Sendable, Equatable {
        /// `family:revision`.
        public var name: String
        public var networkMode: String
        /// Every container port any container maps.
        public var containerPorts: [Int]
        public init(name: String, networkMode: String, containerPorts: [Int]) {
            self.name = name
            self.networkMode = networkMode
            self.containerPorts = containerPorts
        }
    }

    public struct LaunchTemplate: Sendable, Equatable {
        public var name: String
        public var latestVersion: Int?
        public init(name: String, latestVersion: Int?) {
            self.name = name
            self.latestVersion = latestVersion
        }
    }

    /// Where fleet.yaml was read, with its version: `ssm:/gamefleet/chess version 4 (config 1a2b…)`.
    public var configSource: String
    public var credentials: PreflightLookup<String> = .notChecked("not asked")
    public var cluster: PreflightLookup<Cluster>?
    public var taskDefinition: PreflightLookup<TaskDefinition>?
    /// The listed subnets that exist.
    public var subnets: PreflightLookup<Set<String>>?
    /// The listed security groups that exist.
    public var securityGroups: PreflightLookup<Set<String>>?
    public var launchTemplate: PreflightLookup<LaunchTemplate>?
    /// What is wrong with the lease table (nil inside ``PreflightLookup/found(_:)``: nothing).
    public var leaseTable: PreflightLookup<String?>?

    public init(configSource: String) {
        self.configSource = configSource
    }
}

/// One line of `gamefleet check`: a fleet.yaml key (or `--config`, `AWS credentials`), whether it
/// is ready, and for a problem what to do.
public struct PreflightFinding: Sendable, Equatable, Codable {
    public enum Verdict: String, Sendable, Codable {
        case ok
        case problem
        case notChecked = "not checked"
    }

    public var key: String
    public var verdict: Verdict
    public var message: String
    public var fix: String?

    public static func ok(_ key: String, _ message: String) -> PreflightFinding {
        PreflightFinding(key: key, verdict: .ok, message: message, fix: nil)
    }

    public static func problem(_ key: String, _ message: String, fix: String?) -> PreflightFinding {
        PreflightFinding(key: key, verdict: .problem, message: message, fix: fix)
    }

    public static func notChecked(_ key: String, _ why: String) -> PreflightFinding {
        PreflightFinding(key: key, verdict: .notChecked, message: "not checked: \(why)", fix: nil)
    }
}

/// `ecs.launchTemplate` as written: a name or `lt-…` id, with an optional `:version`
/// (a number, `$Latest` or `$Default`). Read the same way by launches and by the preflight.
public struct LaunchTemplateReference: Sendable, Equatable {
    /// The name or id.
    public var template: String
    /// The version after the last colon, if any.
    public var version: String?

    public init(parsing text: String) {
        if let colon = text.lastIndex(of: ":") {
            template = String(text[..<colon])
            version = String(text[text.index(after: colon)...])
        } else {
            template = text
            version = nil
        }
    }

    /// True for an `lt-…` id, false for a name.
    public var isID: Bool { template.hasPrefix("lt-") }
}
