// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Clippings",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "clippings", targets: ["clippings"]),
        .library(name: "ClippingsExtraction", targets: ["ClippingsExtraction"]),
        .library(name: "ClippingsStories", targets: ["ClippingsStories"]),
        .library(name: "ClippingsStore", targets: ["ClippingsStore"]),
        .library(name: "ClippingsPostgres", targets: ["ClippingsPostgres"]),
        .library(name: "ClippingsAPI", targets: ["ClippingsAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    // Every module a target imports is declared here, not borrowed from a dependency (`scripts/check-source`).
    targets: [
        // Pure document -> article extraction: Foundation only, no I/O.
        .target(
            name: "ClippingsExtraction",
            swiftSettings: swiftSettings
        ),
        // Pure story matching and copy detection over article features: Foundation only, no I/O.
        .target(
            name: "ClippingsStories",
            swiftSettings: swiftSettings
        ),
        // The SQLite archive: schema, import, queries.
        .target(
            name: "ClippingsStore",
            dependencies: [
                "ClippingsExtraction",
                "ClippingsStories",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The same archive on PostgreSQL, behind the same `ArchiveStore` seam.
        .target(
            name: "ClippingsPostgres",
            dependencies: [
                "ClippingsExtraction",
                "ClippingsStore",
                "ClippingsStories",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP JSON API over the store, and the reading room's HTML pages over the same queries.
        .target(
            name: "ClippingsAPI",
            dependencies: [
                "ClippingsExtraction",
                "ClippingsPostgres",
                "ClippingsStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The thin command-line front end.
        .executableTarget(
            name: "clippings",
            dependencies: [
                "ClippingsAPI",
                "ClippingsExtraction",
                "ClippingsPostgres",
                "ClippingsStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // A deterministic corpus generator for benchmarks (not part of the service).
        .executableTarget(
            name: "clippings-corpus",
            dependencies: [
                "ClippingsExtraction",
                "ClippingsStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ClippingsExtractionTests",
            dependencies: ["ClippingsExtraction"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ClippingsStoriesTests",
            dependencies: ["ClippingsStories"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ClippingsStoreTests",
            dependencies: [
                "ClippingsExtraction",
                "ClippingsPostgres",
                "ClippingsStore",
                "ClippingsStories",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ClippingsAPITests",
            dependencies: [
                "ClippingsAPI",
                "ClippingsExtraction",
                "ClippingsPostgres",
                "ClippingsStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
