/// What the clients need to know about one AWS service to reach and sign for it.
public struct AWSService: Sendable, Equatable {
    /// The SigV4 signing name, e.g. `ecs`.
    public var signingName: String
    /// The first label of the default host name, e.g. `ecs` in `ecs.us-east-1.amazonaws.com`.
    public var endpointPrefix: String
    /// The service id in the spelling of its `AWS_ENDPOINT_URL_<ID>` variable, e.g. `ECS`.
    public var environmentID: String

    /// Creates a service description.
    public init(signingName: String, endpointPrefix: String, environmentID: String) {
        self.signingName = signingName
        self.endpointPrefix = endpointPrefix
        self.environmentID = environmentID
    }

    /// Amazon Elastic Container Service.
    public static let ecs = AWSService(signingName: "ecs", endpointPrefix: "ecs", environmentID: "ECS")
    /// Amazon Elastic Compute Cloud.
    public static let ec2 = AWSService(signingName: "ec2", endpointPrefix: "ec2", environmentID: "EC2")
    /// Amazon DynamoDB (the lease table of high availability).
    public static let dynamoDB = AWSService(signingName: "dynamodb", endpointPrefix: "dynamodb", environmentID: "DYNAMODB")
    /// AWS Systems Manager (Parameter Store: a fleet.yaml kept as a parameter).
    public static let ssm = AWSService(signingName: "ssm", endpointPrefix: "ssm", environmentID: "SSM")
    /// Amazon S3 (a fleet.yaml kept as an object).
    public static let s3 = AWSService(signingName: "s3", endpointPrefix: "s3", environmentID: "S3")
}
