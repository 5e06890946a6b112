import Foundation
import Testing
@testable import FleetConfig

@Suite("JSON Schema")
struct SchemaTests {
    @Test func theSchemaIsJSONAndListsEveryTopLevelKey() throws {
        let data = Data(JSONSchemaWriter.json().utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let properties = try #require(object["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(FleetSchema.root.map(\.name)))
        #expect(object["required"] as? [String] == ["name", "provider", "gameserver", "scaling"])
        #expect(object["additionalProperties"] as? Bool == false)
    }

    @Test func nestedSectionsAreClosedAndDocumented() throws {
        let schema = JSONSchemaWriter.schema()
        let properties = try #require(schema["properties"] as? [String: Any])
        let scaling = try #require(properties["scaling"] as? [String: Any])
        let scalingKeys = try #require(scaling["properties"] as? [String: Any])
        #expect(Set(scalingKeys.keys) == ["upscaleMargin", "downscaleMargin", "minServers", "maxServers", "maxLaunchesPerPass", "policy", "demand", "schedule"])
        #expect(scaling["additionalProperties"] as? Bool == false)
        let max = try #require(scalingKeys["maxServers"] as? [String: Any])
        #expect(max["default"] as? Int == 50)
        #expect((max["description"] as? String)?.isEmpty == false)
    }
}
