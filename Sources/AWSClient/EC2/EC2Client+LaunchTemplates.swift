extension EC2Client {
    /// A launch template as DescribeLaunchTemplates reports it.
    public struct LaunchTemplate: Sendable, Hashable {
        public var id: String
        public var name: String?
        public var latestVersion: Int?
        public var defaultVersion: Int?
    }

    /// DescribeLaunchTemplates for one template, by id (`lt-…`) or name: nil when EC2 knows no
    /// such template (its `…NotFound…` errors, or an empty answer).
    public func describeLaunchTemplate(idOrName reference: String) async throws -> LaunchTemplate? {
        var form = form("DescribeLaunchTemplates")
        form.add(reference.hasPrefix("lt-") ? "LaunchTemplateId.1" : "LaunchTemplateName.1", reference)
        let root: XMLTree
        do {
            root = try await perform(form)
        } catch let error as AWSServiceError where error.code.contains("NotFound") {
            return nil
        }
        guard let item = root.child("launchTemplates")?.children(named: "item").first,
              let id = item.string("launchTemplateId") else { return nil }
        return LaunchTemplate(
            id: id, name: item.string("launchTemplateName"),
            latestVersion: item.string("latestVersionNumber").flatMap { Int($0) },
            defaultVersion: item.string("defaultVersionNumber").flatMap { Int($0) })
    }
}
