import AWSClient
import FleetCore
import FleetECS
import Foundation
import Testing

/// Paging, from outside: the fault proxy hands moto's answers back 3 items a page, as ECS and
/// EC2 would at 100 (moto itself never pages ListTasks or ListContainerInstances). The provider
/// must see every task and host, and pay one call per page and no more.
@Suite("Paged answers through the proxy", .serialized)
struct PagingTests {
    @Test("8 tasks over pages of 3: all 8 seen, a steady pass costs 3 ListTasks and 1 DescribeTasks on the wire")
    func tasksOverPages() async throws {
        try await MotoWorld.with(instances: 1, family: "paged", networkMode: "host", memory: 7, staticHostPort: false) { world in
            let proxy = try await FaultProxy.start(upstream: world.url, schedule: { _, _ in .none })
            try await cleaningUp({
                proxy.setPageSize(3)
                let spec = world.spec(endpoint: proxy.url, maxServers: 20, taskDefinition: "paged")
                try await world.withProvider(spec) { provider in
                    let launched = await provider.apply(ApplyTests.launches(8, "paged"), spec: spec)
                    #expect(launched.allSatisfy { $0.succeeded }, "\(launched.compactMap(\.error))")
                    #expect(try await provider.servers(spec: spec).count == 8)

                    let before = proxy.log.requests
                    provider.calls.reset()
                    let steady = try await provider.servers(spec: spec)
                    #expect(Set(steady.map(\.id)) == Set(launched.compactMap(\.launched)), "8 of 8 seen")
                    let wire = proxy.log.requests.merging(before) { $0 - $1 }.filter { $0.value > 0 }
                    #expect(wire == ["ListTasks": 3, "DescribeTasks": 1], "\(wire)")
                    #expect(provider.calls.counts.calls == ["ListTasks": 3, "DescribeTasks": 1])
                    #expect(proxy.log.pages["ListTasks", default: 0] >= 6)
                }
            }, then: { await proxy.stop() })
        }
    }

    @Test("7 hosts, each its own reservation, over pages of 3: a new provider finds all 7 through paged ListContainerInstances and DescribeInstances")
    func hostsOverPages() async throws {
        try await MotoWorld.with(instances: 0) { world in
            try await world.createLaunchTemplate("fleet-host")
            let proxy = try await FaultProxy.start(upstream: world.url, schedule: { _, _ in .none })
            try await cleaningUp({
                proxy.setPageSize(3)
                let spec = world.spec(endpoint: proxy.url, minServers: 0, maxServers: 20, launchTemplate: "fleet-host")
                var hosts: [String] = []
                try await world.withProvider(spec) { provider in
                    // One RunInstances per host: 7 reservations, so DescribeInstances has 7 items to page.
                    for _ in 0..<7 {
                        let outcome = await provider.apply(ApplyTests.launches(1), spec: spec)
                        hosts += outcome.compactMap(\.launched)
                    }
                }
                try #require(hosts.count == 7)
                for host in hosts { _ = try await MotoWorld.register(host, ecs: world.ecs) }

                // A restarted gamefleet knows the hosts only from the cluster and their tags.
                try await world.withProvider(spec) { provider in
                    let before = proxy.log.requests
                    let servers = try await provider.servers(spec: spec)
                    #expect(Set(servers.map(\.id)) == Set(hosts), "7 of 7 hosts found")
                    #expect(servers.allSatisfy { $0.host == .awaitingGameserver })
                    let wire = proxy.log.requests.merging(before) { $0 - $1 }
                    #expect(wire["ListContainerInstances"] == 3, "\(wire)")
                    #expect(wire["DescribeInstances"] == 3, "7 reservations in pages of 3: \(wire)")
                }
            }, then: { await proxy.stop() })
        }
    }
}
