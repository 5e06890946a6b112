/// ECS's documented API throttling buckets, which gamefleet keeps under on its own side (see
/// ``ECSRequestPacer``), so that a scale-up of hundreds of servers waits its turn instead of being
/// answered with `ThrottlingException`.
///
/// The figures are those of the Amazon ECS API Reference, "Request throttling for the Amazon ECS
/// API" (token buckets per account and Region; burst = bucket capacity, sustained = refill a
/// second), and of the Amazon ECS Developer Guide, "AWS Fargate throttling quotas", for RunTask
/// on Fargate:
///
/// | bucket | gamefleet's calls | burst | sustained |
/// | --- | --- | --- | --- |
/// | cluster resource modify | RunTask, StopTask | 100 | 40/s |
/// | cluster resource read | ListTasks, DescribeTasks, ListContainerInstances, DescribeContainerInstances | 100 | 20/s |
/// | task definition read | DescribeTaskDefinition | 50 | 20/s |
/// | tag modify | TagResource, UntagResource | 20 | 10/s |
/// | Fargate RunTask (on top of the first) | RunTask of Fargate tasks | 20 | 20/s |
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

        public init(name: String, burst: Int, perSecond: Double) {
            self.name = name
            self.burst = max(1, burst)
            self.perSecond = perSecond
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

    public init(clusterResourceModify: Bucket, clusterResourceRead: Bucket, taskDefinitionRead: Bucket, tagModify: Bucket, fargateRunTask: Bucket) {
        self.clusterResourceModify = clusterResourceModify
        self.clusterResourceRead = clusterResourceRead
        self.taskDefinitionRead = taskDefinitionRead
        self.tagModify = tagModify
        self.fargateRunTask = fargateRunTask
    }

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
        default: return []
        }
    }
}
