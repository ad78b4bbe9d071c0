// swift-tools-version: 6.1
import PackageDescription

// Benchmarks of audiosync, kept out of the root package so its users never build
// package-benchmark. Run from this folder: `swift package benchmark` (see README.md).
let package = Package(
    name: "audiosync-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named, so the identity does not depend on what the checkout folder is called.
        .package(name: "audiosync", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Probing one WhatsApp-like note, muxing one, and scanning a small store.
        .executableTarget(
            name: "ProbeBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "AudioProbe", package: "audiosync"),
                .product(name: "MediaStore", package: "audiosync"),
                .product(name: "StoreFixtures", package: "audiosync"),
            ],
            path: "Benchmarks/ProbeBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // One run, same files: stat, the floor, our probe (cold and warm cache), mutagen, ffprobe.
        .executableTarget(
            name: "ProbeComparison",
            dependencies: [
                .product(name: "AudioProbe", package: "audiosync"),
                .product(name: "MediaStore", package: "audiosync"),
                .product(name: "StoreFixtures", package: "audiosync"),
            ],
            path: "Sources/ProbeComparison"
        ),
        // The engine and the whole sync at 10k, 100k (and with AUDIOSYNC_BENCH_SIZES, 1M) messages.
        .executableTarget(
            name: "SyncBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Evaluation", package: "audiosync"),
                .product(name: "MatchEngine", package: "audiosync"),
                .product(name: "MediaStore", package: "audiosync"),
                .product(name: "MessageStore", package: "audiosync"),
                .product(name: "Strategies", package: "audiosync"),
                .product(name: "Sync", package: "audiosync"),
            ],
            path: "Benchmarks/SyncBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // One run per size, each stage timed, peak memory per size, the legacy script beside: the
        // table and the curve in README.md; with --postgres, the 100k sync on PostgreSQL too.
        .executableTarget(
            name: "SyncScaling",
            dependencies: [
                .product(name: "Evaluation", package: "audiosync"),
                .product(name: "MatchEngine", package: "audiosync"),
                .product(name: "MediaStore", package: "audiosync"),
                .product(name: "MessageStore", package: "audiosync"),
                .product(name: "Strategies", package: "audiosync"),
                .product(name: "Sync", package: "audiosync"),
            ],
            path: "Sources/SyncScaling"
        ),
    ]
)
