extension ECSClient {
    private struct TagResourceInput: Encodable {
        var resourceArn: String
        var tags: [ECSTag]
    }

    private struct UntagResourceInput: Encodable {
        var resourceArn: String
        var tagKeys: [String]
    }

    /// TagResource: adds `tags` to the resource (a task, here), replacing the values of keys it
    /// already has.
    public func tagResource(_ resourceArn: String, tags: [ECSTag]) async throws {
        _ = try await perform("TagResource", TagResourceInput(resourceArn: resourceArn, tags: tags), as: ECSEmpty.self)
    }

    /// UntagResource: removes the tags with `tagKeys`; keys it does not have are ignored.
    public func untagResource(_ resourceArn: String, tagKeys: [String]) async throws {
        _ = try await perform("UntagResource", UntagResourceInput(resourceArn: resourceArn, tagKeys: tagKeys), as: ECSEmpty.self)
    }
}
