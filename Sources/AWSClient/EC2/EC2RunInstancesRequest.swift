/// The input of RunInstances: a launch template (how gamefleet launches hosts), or an image,
/// type and subnet (how the tests launch one in moto).
public struct EC2RunInstancesRequest: Sendable, Hashable {
    /// A launch template, by name or id, with an optional version (`$Latest`, `$Default` or a number).
    public struct LaunchTemplate: Sendable, Hashable {
        /// The template's id, e.g. `lt-0123456789abcdef0`; set this or ``name``.
        public var id: String?
        /// The template's name; set this or ``id``.
        public var name: String?
        /// The version; `nil` means the template's default version.
        public var version: String?

        /// Creates a reference; give exactly one of `id` and `name` (RunInstances rejects
        /// anything else before sending).
        public init(id: String?, name: String?, version: String? = nil) {
            self.id = id
            self.name = name
            self.version = version
        }

        /// The template called `name`.
        public static func named(_ name: String, version: String? = nil) -> LaunchTemplate {
            LaunchTemplate(id: nil, name: name, version: version)
        }

        /// The template with id `id`.
        public static func id(_ id: String, version: String? = nil) -> LaunchTemplate {
            LaunchTemplate(id: id, name: nil, version: version)
        }
    }

    /// Tags to put on resources as they are created.
    public struct TagSpecification: Sendable, Hashable {
        /// The kind of resource, e.g. `instance` or `volume`.
        public var resourceType: String
        /// The tags.
        public var tags: [EC2Tag]

        /// Creates a tag specification.
        public init(resourceType: String, tags: [EC2Tag]) {
            self.resourceType = resourceType
            self.tags = tags
        }
    }

    /// The launch template, if any.
    public var launchTemplate: LaunchTemplate?
    /// The image (AMI) id; overrides the template's.
    public var imageID: String?
    /// The instance type; overrides the template's.
    public var instanceType: String?
    /// The subnet; overrides the template's.
    public var subnetID: String?
    /// Security groups by id.
    public var securityGroupIDs: [String]
    /// The fewest instances to launch; if EC2 cannot launch that many, it launches none.
    public var minCount: Int
    /// The most instances to launch.
    public var maxCount: Int
    /// Tags for the instances (and other resources) created.
    public var tagSpecifications: [TagSpecification]
    /// An idempotency token (up to 64 ASCII characters), so a retried call launches once.
    public var clientToken: String?

    /// Creates a RunInstances input; by default one instance.
    public init(
        launchTemplate: LaunchTemplate? = nil,
        imageID: String? = nil,
        instanceType: String? = nil,
        subnetID: String? = nil,
        securityGroupIDs: [String] = [],
        minCount: Int = 1,
        maxCount: Int = 1,
        tagSpecifications: [TagSpecification] = [],
        clientToken: String? = nil
    ) {
        self.launchTemplate = launchTemplate
        self.imageID = imageID
        self.instanceType = instanceType
        self.subnetID = subnetID
        self.securityGroupIDs = securityGroupIDs
        self.minCount = minCount
        self.maxCount = maxCount
        self.tagSpecifications = tagSpecifications
        self.clientToken = clientToken
    }

    /// The query parameters for this input, added to `form` in a fixed order.
    func addParameters(to form: inout QueryForm) {
        if let launchTemplate {
            form.add("LaunchTemplate.LaunchTemplateId", launchTemplate.id)
            form.add("LaunchTemplate.LaunchTemplateName", launchTemplate.name)
            form.add("LaunchTemplate.Version", launchTemplate.version)
        }
        form.add("ImageId", imageID)
        form.add("InstanceType", instanceType)
        form.add("SubnetId", subnetID)
        form.add(list: "SecurityGroupId", securityGroupIDs)
        form.add("MinCount", String(minCount))
        form.add("MaxCount", String(maxCount))
        for (index, specification) in tagSpecifications.enumerated() {
            let prefix = "TagSpecification.\(index + 1)"
            form.add("\(prefix).ResourceType", specification.resourceType)
            for (tagIndex, tag) in specification.tags.enumerated() {
                form.add("\(prefix).Tag.\(tagIndex + 1).Key", tag.key)
                form.add("\(prefix).Tag.\(tagIndex + 1).Value", tag.value)
            }
        }
        form.add("ClientToken", clientToken)
    }
}
