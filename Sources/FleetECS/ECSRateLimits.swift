/// ECS's and EC2's documented API throttling buckets, which gamefleet keeps under on its own side
/// (see ``ECSRequestPacer``), so that a scale-up of hundreds of servers (or hosts) waits its turn
/// instead of being answered with `ThrottlingException` / `RequestLimitExceeded`.
///
/// The ECS figures are those of the Amazon ECS API Reference, "Request throttling for the Amazon
/// ECS API" (token buckets per account and Region; burst = bucket capacity, sustained = refill a
/// second), and of the Amazon ECS Developer Guide, "AWS Fargate throttling quotas", for RunTask
/// on Fargate. The EC2 figures are those of the Amazon EC2 Developer Guide, "Request throttling
/// for the Amazon EC2 API": request buckets per action category (each call takes one token), and
/// resource buckets for RunInstances and TerminateInstances (each instance takes one token):
///
/// | bucket | gamefleet's calls | burst | sustained |
/// | --- | --- | --- | --- |
/// | ECS cluster resource modify | RunTask, StopTask | 100 | 40/s |
/// | ECS cluster resource read | ListTasks, DescribeTasks, ListContainerInstances, DescribeContainerInstances | 100 | 20/s |
/// | ECS task definition read | DescribeTaskDefinition | 50 | 20/s |
/// | ECS tag modify | TagResource, UntagResource | 20 | 10/s |
/// | Fargate RunTask (on top of the first) | RunTask of Fargate tasks | 20 | 20/s |
/// | EC2 mutating actions | RunInstances, TerminateInstances | 50 | 5/s |
/// | EC2 non-mutating actions | DescribeInstances, DescribeNetworkInterfaces | 100 | 20/s |
/// | EC2 RunInstances instances (resource) | instances a RunInstances starts | 1,000 | 2/s |
/// | EC2 TerminateInstances instances (resource) | instances a TerminateInstances ends | 1,000 | 20/s |
///
/// gamefleet never calls CreateTags: hosts are tagged by RunInstances itself. EC2 gives each
/// action a request bucket of its category's size; gamefleet's calls of one category share one
/// bucket here, which is stricter, never looser.
///
/// The buckets are the account's, shared with every other client in the Region: gamefleet only
/// paces its own calls, so other tools on the account can still use them up (the AWS client's
/// retries with backoff cover that). An account with raised quotas sets its own figures.
public struct ECSRateLimits: Sendable, Equatable {
    /// One bucket: up to `burst` calls at once, then `perSecond` calls a second.
    public struct Bucket: Sendable, Equatable, Hashable {
        /// The name people read in logs and outcomes, e.g. `RunTask rate (ECS cluster resource modify)`.
        public var name: String
        public var burst: Int
        public var perSecond: Double
        /// True for EC2's resource buckets: a call takes a token for each instance it starts or
        /// ends, not one for the call.
        public var countsInstances: Bool

        public init(name: String, burst: Int, perSecond: Double, countsInstances: Bool = false) {
            self.name = name
            self.burst = max(1, burst)
            self.perSecond = perSecond
            self.countsInstances = countsInstances
        }

        /// "burst 100, 40/s", for people.
        public var figures: String {
            let rate = perSecond == perSecond.rounded() ? String(Int(perSecond)) : String(perSecond)
            return "burst \(burst), \(rate)/s"
        }
    }

    public var clusterResourceModify: Bucket
    public var clusterResourceRead: Bucket
    public var taskDefinitionRead: Bucket
    public var tagModify: Bucket
    public var fargateRunTask: Bucket
    public var ec2Mutating: Bucket
    public var ec2Describe: Bucket
    public var ec2RunInstancesResource: Bucket
    public var ec2TerminateInstancesResource: Bucket

    public init(
        clusterResourceModify: Bucket, clusterResourceRead: Bucket, taskDefinitionRead: Bucket, tagModify: Bucket, fargateRunTask: Bucket,
        ec2Mutating: Bucket = Self.documentedEC2.mutating, ec2Describe: Bucket = Self.documentedEC2.describe,
        ec2RunInstancesResource: Bucket = Self.documentedEC2.runInstances, ec2TerminateInstancesResource: Bucket = Self.documentedEC2.terminateInstances
    ) {
        self.clusterResourceModify = clusterResourceModify
        self.clusterResourceRead = clusterResourceRead
        self.taskDefinitionRead = taskDefinitionRead
        self.tagModify = tagModify
        self.fargateRunTask = fargateRunTask
        self.ec2Mutating = ec2Mutating
        self.ec2Describe = ec2Describe
        self.ec2RunInstancesResource = ec2RunInstancesResource
        self.ec2TerminateInstancesResource = ec2TerminateInstancesResource
    }

    /// EC2's documented buckets (see the table above).
    public static let documentedEC2 = (
        mutating: Bucket(name: "RunInstances/TerminateInstances rate (EC2 mutating actions)", burst: 50, perSecond: 5),
        describe: Bucket(name: "Describe rate (EC2 non-mutating actions)", burst: 100, perSecond: 20),
        runInstances: Bucket(name: "instances started (EC2 RunInstances resource)", burst: 1000, perSecond: 2, countsInstances: true),
        terminateInstances: Bucket(name: "instances ended (EC2 TerminateInstances resource)", burst: 1000, perSecond: 20, countsInstances: true))

    /// The documented defaults (see the table above).
    public static let documented = ECSRateLimits(
        clusterResourceModify: Bucket(name: "RunTask/StopTask rate (ECS cluster resource modify)", burst: 100, perSecond: 40),
        clusterResourceRead: Bucket(name: "List/Describe rate (ECS cluster resource read)", burst: 100, perSecond: 20),
        taskDefinitionRead: Bucket(name: "DescribeTaskDefinition rate (ECS task definition read)", burst: 50, perSecond: 20),
        tagModify: Bucket(name: "TagResource rate (ECS tag modify)", burst: 20, perSecond: 10),
        fargateRunTask: Bucket(name: "Fargate RunTask rate", burst: 20, perSecond: 20))

    /// The buckets a call of `operation` takes a token from; `fargate` for a RunTask of Fargate
    /// tasks. None for an operation gamefleet does not pace.
    public func buckets(for operation: String, fargate: Bool = false) -> [Bucket] {
        switch operation {
        case "RunTask": return fargate ? [clusterResourceModify, fargateRunTask] : [clusterResourceModify]
        case "StopTask": return [clusterResourceModify]
        case "ListTasks", "DescribeTasks", "ListContainerInstances", "DescribeContainerInstances": return [clusterResourceRead]
        case "DescribeTaskDefinition": return [taskDefinitionRead]
        case "TagResource", "UntagResource": return [tagModify]
        case "RunInstances": return [ec2Mutating, ec2RunInstancesResource]
        case "TerminateInstances": return [ec2Mutating, ec2TerminateInstancesResource]
        case "DescribeInstances", "DescribeNetworkInterfaces": return [ec2Describe]
        default: return []
        }
    }
}
