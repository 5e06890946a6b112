// swift-tools-version: 6.1
import PackageDescription

// Targets are split by how much they touch the world:
//  - FleetCore: spec, observed state, planner, plan, allocator. Foundation only, no I/O.
//  - FleetConfig: fleet.yaml loading and validation (Yams), beside the core.
//  - AWSSigV4: request signing, swift-crypto only.
//  - AWSClient: ECS (JSON 1.1), DynamoDB (JSON 1.0) and EC2 (query) clients over an HTTP transport protocol.
//  - FleetSimulation: the simulated fleet behind `gamefleet simulate`; pure, over FleetCore.
//  - FleetECS: the ecs provider (observe tasks, apply plans) and the DynamoDB lease store of ha, over AWSClient.
//  - FleetRuntime: the reconcile loop, health prober, local provider, config watcher (the services).
//  - FleetHTTP: the allocation endpoint and status/metrics routes (Hummingbird).
//  - gamefleet: the command-line tool.
let package = Package(
    name: "gamefleet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gamefleet", targets: ["gamefleet"]),
        .library(name: "FleetCore", targets: ["FleetCore"]),
        .library(name: "AWSSigV4", targets: ["AWSSigV4"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(name: "FleetCore"),
        // RFC 3339 times read without ICU: shared by the AWS client (AWS's answers) and the CLI and
        // admin API (times people type).
        .target(name: "Timestamps"),
        .target(
            name: "FleetConfig",
            dependencies: ["FleetCore", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "AWSSigV4",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "AWSClient",
            dependencies: [
                "AWSSigV4", "Timestamps",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "FleetSimulation", dependencies: ["FleetCore"]),
        .target(
            name: "FleetECS",
            dependencies: ["FleetCore", "AWSClient", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "FleetRuntime",
            dependencies: [
                "FleetCore", "FleetConfig",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "FleetHTTP",
            dependencies: [
                "FleetCore", "FleetRuntime", "Timestamps",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "gamefleet",
            dependencies: [
                "FleetCore", "FleetConfig", "FleetRuntime", "FleetHTTP", "FleetSimulation", "FleetECS", "AWSClient", "Timestamps",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(name: "gamefleet-bench", dependencies: ["FleetCore", "FleetSimulation"]),
        .executableTarget(name: "sample-gameserver"),
        // Shared by the fuzz tests: mutation of seed documents, case count, per-case deadline.
        // What the test targets share for waiting: blocking work off the cooperative pool.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "PropertyBased", package: "swift-property-based")],
            path: "Tests/FuzzSupport",
            // Optimized even in debug builds: mutation scans every byte of a case, and unoptimized
            // it cost more than the parsers under test.
            swiftSettings: [.unsafeFlags(["-O"])]
        ),
        .testTarget(
            name: "FleetCoreTests",
            dependencies: ["TestSupport", "FleetCore", "FuzzSupport", "Timestamps", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "FleetConfigTests",
            dependencies: ["TestSupport", "FleetConfig", "FleetCore", "FuzzSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "AWSSigV4Tests", dependencies: ["AWSSigV4"]),
        .testTarget(
            name: "AWSClientTests",
            dependencies: [
                "TestSupport",
                "AWSClient", "AWSSigV4", "FuzzSupport", "Timestamps",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "FleetSimulationTests",
            dependencies: ["TestSupport", "FleetSimulation", "FleetCore", "FuzzSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "FleetECSTests",
            dependencies: [
                "TestSupport",
                "FleetECS", "FleetCore", "FleetRuntime", "FleetConfig", "AWSClient", "sample-gameserver",
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "FleetRuntimeTests",
            dependencies: [
                "TestSupport",
                "FleetRuntime", "FleetCore", "FleetConfig", "FuzzSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "FleetHTTPTests",
            dependencies: [
                "TestSupport",
                "FleetHTTP", "FleetRuntime", "FleetCore", "FuzzSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "ServeEndToEndTests",
            dependencies: [
                "TestSupport",
                "gamefleet", "sample-gameserver",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(name: "GamefleetCLITests", dependencies: ["TestSupport", "gamefleet"]),
        .testTarget(name: "SampleGameserverTests", dependencies: ["TestSupport", "sample-gameserver"]),
    ]
)
