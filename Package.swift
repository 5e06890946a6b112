// swift-tools-version: 6.1
import PackageDescription

// Targets are split by how much they touch the world:
//  - FleetCore: spec, observed state, planner, plan, allocator. Foundation only, no I/O.
//  - FleetConfig: fleet.yaml loading and validation (Yams), beside the core.
//  - AWSSigV4: request signing, swift-crypto only.
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
    ],
    targets: [
        .target(name: "FleetCore"),
        .target(
            name: "FleetConfig",
            dependencies: ["FleetCore", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "AWSSigV4",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(
            name: "gamefleet",
            dependencies: [
                "FleetCore", "FleetConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "gamefleet-bench", dependencies: ["FleetCore"]),
        .executableTarget(name: "sample-gameserver"),
        .testTarget(
            name: "FleetCoreTests",
            dependencies: ["FleetCore", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "FleetConfigTests", dependencies: ["FleetConfig", "FleetCore"]),
        .testTarget(name: "AWSSigV4Tests", dependencies: ["AWSSigV4"]),
        .testTarget(name: "GamefleetCLITests", dependencies: ["gamefleet"]),
        .testTarget(name: "SampleGameserverTests", dependencies: ["sample-gameserver"]),
    ]
)
