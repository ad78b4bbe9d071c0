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
            ],
            path: "Sources/ProbeComparison"
        ),
    ]
)
