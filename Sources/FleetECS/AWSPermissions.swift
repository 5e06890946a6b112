/// Every IAM action gamefleet's ECS provider needs, in one list, with the feature that needs it.
///
/// A test holds three things equal: the operations the provider's ``ECSAPI`` and ``EC2API`` can
/// send (seen on the wire), the ``called`` list here, and the actions granted by
/// `examples/iam-policy.json`; so a new call without a grant, or a grant nothing calls, fails it.
public enum AWSPermissions {
    /// One action and why gamefleet needs it.
    public struct Grant: Sendable, Equatable {
        /// The IAM action, e.g. `ecs:RunTask`.
        public var action: String
        /// The feature that needs it, in words for people.
        public var neededFor: String
    }

    /// Actions gamefleet sends as API operations.
    public static let called: [Grant] = [
        Grant(action: "ecs:ListTasks", neededFor: "observing: the fleet's tasks by startedBy"),
        Grant(action: "ecs:DescribeTasks", neededFor: "observing: lifecycle, standby tag, addresses, why a task stopped"),
        Grant(action: "ecs:DescribeTaskDefinition", neededFor: "observing: the family's latest revision and the game port's host port"),
        Grant(action: "ecs:ListContainerInstances", neededFor: "launch template mode: the fleet's hosts that registered"),
        Grant(action: "ecs:DescribeContainerInstances", neededFor: "bridge/host tasks' addresses, and hosts in launch template mode"),
        Grant(action: "ecs:RunTask", neededFor: "launching gameservers"),
        Grant(action: "ecs:StopTask", neededFor: "stopping gameservers"),
        Grant(action: "ecs:TagResource", neededFor: "standby (and tags given at RunTask)"),
        Grant(action: "ecs:UntagResource", neededFor: "activating a standby server"),
        Grant(action: "ec2:DescribeInstances", neededFor: "bridge/host tasks' addresses, and hosts in launch template mode"),
        Grant(action: "ec2:DescribeNetworkInterfaces", neededFor: "awsvpc tasks' public addresses"),
        Grant(action: "ec2:RunInstances", neededFor: "launch template mode: one instance per gameserver"),
        Grant(action: "ec2:TerminateInstances", neededFor: "launch template mode: the instance of a gameserver that ended"),
    ]

    /// Actions AWS checks inside another call, never called on their own.
    public static let implied: [Grant] = [
        Grant(action: "iam:PassRole", neededFor: "RunTask of a task definition with a task or execution role; RunInstances with an instance profile"),
        Grant(action: "ec2:CreateTags", neededFor: "RunInstances tags the instance it starts (TagSpecifications)"),
    ]

    /// Actions the lease of high availability (`ha:`) calls on its DynamoDB table; only needed
    /// with `ha` (statements `HighAvailabilityLeaseTableCheck` and `HighAvailabilityLease` of the
    /// policy: the table, and the fleet's own item in it).
    public static let highAvailability: [Grant] = [
        Grant(action: "dynamodb:DescribeTable", neededFor: "ha: the start-up check of the lease table"),
        Grant(action: "dynamodb:GetItem", neededFor: "ha: reading the lease"),
        Grant(action: "dynamodb:PutItem", neededFor: "ha: acquiring, renewing and taking over the lease (conditional writes)"),
        Grant(action: "dynamodb:DeleteItem", neededFor: "ha: releasing the lease on a graceful stop"),
    ]

    /// Actions serve (and every command given `--config ssm:NAME` or `s3://BUCKET/KEY`) calls to
    /// read fleet.yaml kept in AWS; only the one for the source in use is needed (statements
    /// `ReadTheFleetsConfigParameter` and `ReadTheFleetsConfigObject` of the policy, each on the one
    /// parameter or object). A `SecureString` parameter under a customer-managed KMS key also needs
    /// `kms:Decrypt` on that key, which the policy cannot name (under the default `aws/ssm` key, the
    /// key's own policy allows it through Parameter Store).
    public static let configSource: [Grant] = [
        Grant(action: "ssm:GetParameter", neededFor: "--config ssm:NAME: reading fleet.yaml (with decryption) and polling its version"),
        Grant(action: "s3:GetObject", neededFor: "--config s3://BUCKET/KEY: reading fleet.yaml and polling it (If-None-Match)"),
    ]

    /// Actions `gamefleet check` calls, all read-only, besides the config source's and
    /// `ecs:DescribeTaskDefinition`. Granted to whoever runs the preflight (an operator, CI), not to
    /// the replicas: serve never calls them, so the manager's policy leaves them out.
    public static let preflight: [Grant] = [
        Grant(action: "ecs:DescribeClusters", neededFor: "check: the cluster exists, is ACTIVE, and has the strategy's capacity providers"),
        Grant(action: "ecs:DescribeTaskDefinition", neededFor: "check: the task definition exists and maps ecs.gamePort"),
        Grant(action: "ec2:DescribeSubnets", neededFor: "check: ecs.subnets exist"),
        Grant(action: "ec2:DescribeSecurityGroups", neededFor: "check: ecs.securityGroups exist"),
        Grant(action: "ec2:DescribeLaunchTemplates", neededFor: "check: ecs.launchTemplate exists, with its pinned version"),
        Grant(action: "dynamodb:DescribeTable", neededFor: "check: ha.table exists with the key serve expects"),
    ]

    /// Every action the manager's policy grants, called or implied.
    public static var actions: Set<String> { Set((called + implied + highAvailability + configSource).map(\.action)) }
}
