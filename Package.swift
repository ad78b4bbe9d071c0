// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "audiosync",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "audiosync", targets: ["audiosync"]),
        .library(name: "MatchEngine", targets: ["MatchEngine"]),
        .library(name: "Strategies", targets: ["Strategies"]),
        .library(name: "AudioProbe", targets: ["AudioProbe"]),
        .library(name: "MediaStore", targets: ["MediaStore"]),
        .library(name: "MessageStore", targets: ["MessageStore"]),
        .library(name: "Sync", targets: ["Sync"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
        .library(name: "Serve", targets: ["Serve"]),
        // For the benchmarks (../benchmarks), which build their notes and stores with it.
        .library(name: "StoreFixtures", targets: ["StoreFixtures"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // `serve`: the HTTP server (FileMiddleware gives Range, ETag and conditional requests), and
        // the HTTP client its tests drive it with. Hummingbird's traits are off: it needs neither
        // swift-configuration nor the whole of Foundation here.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // The pure core: models, scoring, calibration, blocking, assignment, decisions.
        .target(
            name: "MatchEngine",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // One folder per strategy, the list of built-in strategies, and the weight profiles.
        .target(
            name: "Strategies",
            dependencies: [
                "MatchEngine",
                .product(name: "Yams", package: "Yams"),
            ],
            path: "strategies",
            exclude: ["presets"]
        ),
        // The C shim over libogg, libopus, libopusfile and libvorbisfile: reading only. Only
        // AudioProbe calls it.
        .target(
            name: "CAudioProbe",
            cSettings: [.headerSearchPath("compat")],
            linkerSettings: [
                .linkedLibrary("opusfile"),
                .linkedLibrary("vorbisfile"),
                .linkedLibrary("vorbis"),
                .linkedLibrary("opus"),
                .linkedLibrary("ogg"),
            ]
        ),
        .target(name: "AudioProbe", dependencies: ["CAudioProbe"]),
        .target(
            name: "MediaStore",
            dependencies: [
                "MatchEngine",
                "AudioProbe",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // The probe cache binds its rows with sqlite3_bind_* directly (see ProbeCache.update).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "MessageStore",
            dependencies: [
                "MatchEngine",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The loader and the bulk writer step statements through the C API for speed.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Writing what the product only reads, for the generator, the demo, the tests and the
        // benchmarks: real Ogg Opus notes (a libopus encoder, an Ogg muxer, a page editor for
        // damaged files) and the CRM's tables filled fast. Never linked by sync, scan or status.
        .target(
            name: "CStoreFixtures",
            linkerSettings: [
                .linkedLibrary("opus"),
                .linkedLibrary("ogg"),
            ]
        ),
        .target(
            name: "StoreFixtures",
            dependencies: [
                "CStoreFixtures",
                // The database writers open connections and map errors as the store does.
                "MessageStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite writer binds its rows with sqlite3_bind_* directly, for speed.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // The main job as a library: scan, load, hash on demand, plan, write; status and explain;
        // the settings of audiosync.yml (YAML, hence Yams).
        .target(
            name: "Sync",
            dependencies: [
                "MatchEngine",
                "MediaStore",
                "MessageStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "Evaluation",
            dependencies: [
                "MatchEngine",
                "MessageStore",
                "StoreFixtures",
                "Sync",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `audiosync serve`: the CRM's audio endpoint and the review page, over Sync's review session.
        .target(
            name: "Serve",
            dependencies: [
                "AudioProbe",
                "MessageStore",
                "Sync",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "audiosync",
            dependencies: [
                "MatchEngine",
                "Strategies",
                "MediaStore",
                "MessageStore",
                "Evaluation",
                "Sync",
                "Serve",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "MatchEngineTests", dependencies: ["MatchEngine", "Strategies"]),
        .testTarget(
            name: "StrategiesTests",
            dependencies: [
                "MatchEngine", "Strategies",
                // Reads the settings as a profile spells them, to write the lists of strategies.
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "AudioProbeTests",
            dependencies: ["AudioProbe", "StoreFixtures"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MediaStoreTests",
            dependencies: [
                "MediaStore", "MatchEngine", "AudioProbe", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "MessageStoreTests",
            dependencies: [
                "MessageStore", "StoreFixtures", "MatchEngine",
                // Tests check rows and play the CRM's concurrent writer over their own connections.
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "EvaluationTests",
            dependencies: [
                "Evaluation", "MatchEngine", "Strategies", "Sync",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "ServeTests",
            dependencies: [
                "Serve", "Sync", "MatchEngine", "MessageStore", "MediaStore", "Evaluation", "Strategies",
                // A real HTTP client against the real listening server.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "audiosyncTests",
            dependencies: [
                "audiosync", "MatchEngine", "MessageStore", "MediaStore", "Evaluation", "Sync", "Strategies",
                // Hand-made stores: real Ogg Opus notes and the spec's tables, note by note.
                "StoreFixtures",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["Help", "Golden"]  // expected help screens, read from the source tree by the tests
        ),
    ]
)

// Strict settings for every Swift target, in one place (as swift-log does).
for target in package.targets where !["CAudioProbe", "CStoreFixtures"].contains(target.name) {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    // The solver's invariant checks (Assignment+Invariants.swift) run in debug builds only.
    settings.append(.define("AUDIOSYNC_INVARIANTS", .when(configuration: .debug)))
    target.swiftSettings = settings
}
