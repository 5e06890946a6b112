import AWSClient
import FleetCore
import FleetECS
import Foundation
import Testing

/// Where the live provider sends its calls: `ecs.endpoint` first, then the AWS_ENDPOINT_URL
/// variables. Against moto, so a wrong choice shows up as a call that fails.
@Suite("Live provider endpoints", .serialized)
struct EndpointTests {
    @Test("AWS_ENDPOINT_URL reaches moto when fleet.yaml names no endpoint; ecs.endpoint beats the variables")
    func precedence() async throws {
        try await MotoWorld.with(instances: 0) { world in
            var spec = world.spec()
            spec.ecs?.endpoint = nil
            let fromVariable = try ECSProvider.live(spec: spec.ecs!, environment: Moto.environment.merging(["AWS_ENDPOINT_URL": world.url]) { $1 })
            let servers = try await cleaningUp({ try await fromVariable.servers(spec: spec) }, then: { await fromVariable.shutdown() })
            #expect(servers.isEmpty)
            #expect(fromVariable.calls.counts["ListTasks"] == 1)

            // Port 9 on loopback: nothing listens, so a call that went there would fail.
            let dead = ["AWS_ENDPOINT_URL_ECS": "http://127.0.0.1:9", "AWS_ENDPOINT_URL_EC2": "http://127.0.0.1:9"]
            spec.ecs?.endpoint = world.url
            let explicit = try ECSProvider.live(spec: spec.ecs!, environment: Moto.environment.merging(dead) { $1 })
            #expect(try await cleaningUp({ try await explicit.servers(spec: spec) }, then: { await explicit.shutdown() }).isEmpty)

            spec.ecs?.endpoint = nil
            let refused = try ECSProvider.live(
                spec: spec.ecs!, environment: Moto.environment.merging(dead) { $1 },
                settings: .init(retryPolicy: .none, callTimeout: .seconds(5)))
            let error = await #expect(throws: AWSCallError.self) {
                try await cleaningUp({ try await refused.servers(spec: spec) }, then: { await refused.shutdown() })
            }
            #expect(error?.operation == "ListTasks")
        }
    }

    @Test("A bad endpoint URL is refused before anything is opened")
    func badEndpoint() {
        let spec = ECSSpec(region: "us-east-1", taskDefinition: "gameserver", gamePort: 7777)
        #expect(throws: AWSEndpoint.InvalidURL.self) {
            _ = try ECSProvider.live(spec: spec, environment: ["AWS_ENDPOINT_URL_ECS": "ftp://example.invalid"])
        }
    }
}
